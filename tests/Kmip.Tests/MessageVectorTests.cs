using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip.Tests;

/// <summary>
/// Whole messages of the KMIP 1.1 test cases (kmip-testcases-v1.1, 3.1.1 Create/Get/Destroy and 3.1.3 Locate),
/// as PyKMIP's kmip/tests/unit/core/messages/test_messages.py carries them (TestRequestMessage and
/// TestResponseMessage): the client must write the very same bytes and read the responses.
/// </summary>
public class MessageVectorTests
{
    private static readonly KmipVersion V11 = new(1, 1);

    private const string CreateRequest = "42007801000001204200770100000038420069010000002042006A0200000004000000010000000042006B0200000004000000010000000042000D0200000004000000010000000042000F01000000D842005C0500000004000000010000000042007901000000C04200570500000004000000020000000042009101000000A8420008010000003042000A070000001743727970746F6772617068696320416C676F726974686D0042000B05000000040000000300000000420008010000003042000A070000001443727970746F67726170686963204C656E6774680000000042000B02000000040000008000000000420008010000003042000A070000001843727970746F67726170686963205573616765204D61736B42000B02000000040000000C00000000";
    private const string GetRequest = "42007801000000904200770100000038420069010000002042006A0200000004000000010000000042006B0200000004000000010000000042000D0200000004000000010000000042000F010000004842005C05000000040000000A000000004200790100000030420094070000002434396131636138382D366265612D346662322D623435302D37653538383032633330333800000000";
    private const string DestroyRequest = "42007801000000904200770100000038420069010000002042006A0200000004000000010000000042006B0200000004000000010000000042000D0200000004000000010000000042000F010000004842005C050000000400000014000000004200790100000030420094070000002466623462356239632D363138382D346336332D383134322D66653963333238313239666300000000";
    private const string LocateRequest = "42007801000000D04200770100000038420069010000002042006A0200000004000000010000000042006B0200000004000000010000000042000D0200000004000000010000000042000F010000008842005C050000000400000008000000004200790100000070420008010000002842000A070000000B4F626A6563742054797065000000000042000B05000000040000000200000000420008010000003842000A07000000044E616D650000000042000B010000002042005507000000044B6579310000000042005405000000040000000100000000";
    private const string CreateResponse = "42007B01000000C042007A0100000048420069010000002042006A0200000004000000010000000042006B020000000400000001000000004200920900000008000000004F9A54E542000D0200000004000000010000000042000F010000006842005C0500000004000000010000000042007F0500000004000000000000000042007C010000004042005705000000040000000200000000420094070000002466623462356239632D363138382D346336332D383134322D66653963333238313239666300000000";
    private const string GetResponse = "42007B010000012842007A0100000048420069010000002042006A0200000004000000010000000042006B020000000400000001000000004200920900000008000000004F9A54E742000D0200000004000000010000000042000F01000000D042005C05000000040000000A0000000042007F0500000004000000000000000042007C01000000A842005705000000040000000200000000420094070000002434396131636138382D366265612D346662322D623435302D3765353838303263333033380000000042008F0100000060420040010000005842004205000000040000000100000000420045010000002042004308000000187367578051012A6D134A855E25C8CD5E4CA131455729D3C84200280500000004000000020000000042002A0200000004000000A800000000";
    private const string LocateResponse = "42007B01000000B042007A0100000048420069010000002042006A0200000004000000010000000042006B020000000400000001000000004200920900000008000000004F9A54E642000D0200000004000000010000000042000F010000005842005C0500000004000000080000000042007F0500000004000000000000000042007C0100000030420094070000002434396131636138382D366265612D346662322D623435302D37653538383032633330333800000000";

    private static string Encode(Operation operation, TtlvItem payload) =>
        Hex.Of(TtlvWriter.Encode(KmipMessages.Request(V11, operation, payload)));

    [Fact]
    public void Create_request_of_test_case_3_1_1_is_byte_exact() => Assert.Equal(CreateRequest, Encode(Operation.Create, KmipPayloads.Create(
        [KmipAttribute.Algorithm(CryptographicAlgorithm.Aes), KmipAttribute.Length(128), KmipAttribute.UsageMask(CryptographicUsageMask.Encrypt | CryptographicUsageMask.Decrypt)])));

    [Fact]
    public void Get_request_is_byte_exact() =>
        Assert.Equal(GetRequest, Encode(Operation.Get, KmipPayloads.ByIdentifier("49a1ca88-6bea-4fb2-b450-7e58802c3038")));

    [Fact]
    public void Destroy_request_is_byte_exact() =>
        Assert.Equal(DestroyRequest, Encode(Operation.Destroy, KmipPayloads.ByIdentifier("fb4b5b9c-6188-4c63-8142-fe9c328129fc")));

    [Fact]
    public void Locate_request_of_test_case_3_1_3_is_byte_exact() => Assert.Equal(LocateRequest, Encode(Operation.Locate, KmipPayloads.Locate(
        [KmipAttribute.ObjectType(ObjectType.SymmetricKey), KmipAttribute.ObjectName("Key1")])));

    [Fact]
    public void Create_response_gives_the_new_key_id()
    {
        var payload = KmipMessages.ResponsePayload(TtlvReader.Decode(Hex.Bytes(CreateResponse)), Operation.Create);
        Assert.Equal("fb4b5b9c-6188-4c63-8142-fe9c328129fc", KmipPayloads.UniqueIdentifier(payload));
    }

    [Fact]
    public void Get_response_gives_the_key_material_and_its_algorithm()
    {
        var payload = KmipMessages.ResponsePayload(TtlvReader.Decode(Hex.Bytes(GetResponse)), Operation.Get);
        var key = KmipPayloads.SymmetricKey(payload);
        Assert.Equal("49a1ca88-6bea-4fb2-b450-7e58802c3038", key.UniqueIdentifier);
        Assert.Equal(CryptographicAlgorithm.TripleDes, key.Algorithm);
        Assert.Equal(168, key.LengthBits);
        Assert.Equal("7367578051012A6D134A855E25C8CD5E4CA131455729D3C8", Hex.Of(key.Material()));
        Assert.DoesNotContain("7367", key.ToString());
    }

    [Fact]
    public void Locate_response_lists_the_matching_ids()
    {
        var payload = KmipMessages.ResponsePayload(TtlvReader.Decode(Hex.Bytes(LocateResponse)), Operation.Locate);
        Assert.Equal(["49a1ca88-6bea-4fb2-b450-7e58802c3038"], KmipPayloads.Located(payload));
    }

    [Fact]
    public void A_response_to_another_operation_is_refused()
    {
        var e = Assert.Throws<KmipException>(() => KmipMessages.ResponsePayload(TtlvReader.Decode(Hex.Bytes(CreateResponse)), Operation.Destroy));
        Assert.Contains("Destroy", e.Message);
    }

    [Fact]
    public void A_failed_operation_carries_the_servers_reason_and_message()
    {
        var response = TtlvItem.Structure(Tag.ResponseMessage,
            TtlvItem.Structure(Tag.ResponseHeader, KmipVersion.Version12.ToTtlv(), TtlvItem.Integer(Tag.BatchCount, 1)),
            TtlvItem.Structure(Tag.BatchItem,
                TtlvItem.Enumeration(Tag.Operation, (uint)Operation.Get),
                TtlvItem.Enumeration(Tag.ResultStatus, (uint)ResultStatus.OperationFailed),
                TtlvItem.Enumeration(Tag.ResultReason, (uint)ResultReason.ItemNotFound),
                TtlvItem.Text(Tag.ResultMessage, "Could not locate object: 42")));
        var e = Assert.Throws<KmipException>(() => KmipMessages.ResponsePayload(TtlvReader.Decode(TtlvWriter.Encode(response)), Operation.Get));
        Assert.Equal(ResultReason.ItemNotFound, e.Reason);
        Assert.Contains("Could not locate object: 42", e.Message);
    }

    [Fact]
    public void A_request_message_is_refused_as_a_response()
    {
        var e = Assert.Throws<KmipException>(() => KmipMessages.ResponsePayload(TtlvReader.Decode(Hex.Bytes(GetRequest)), Operation.Get));
        Assert.Contains("Response Message", e.Message);
    }
}
