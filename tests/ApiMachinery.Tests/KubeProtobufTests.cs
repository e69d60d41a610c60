using HipaaMongo.ApiMachinery.Protobuf;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>
/// Decodes request bodies captured from the real kubectl v1.32.4 (`-v=10` prints them) for the commands named in each
/// case. The expected JSON is what each command documents it creates (kubectl create --help; kubectl auth can-i
/// --help), in the field names of the kinds' JSON API, with Go's omitempty dropping the zero values kubectl sends.
/// </summary>
public class KubeProtobufTests
{
    public static TheoryData<string, string, string> KubectlBodies => new()
    {
        {
            "kubectl create namespace team-a",
            "6b3873000a0f0a02763112094e616d657370616365121e0a160a067465616d2d6112001a0022002a0032003800420012001a020a001a002200",
            """{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"team-a"}}"""
        },
        {
            "kubectl create secret generic db-pass --from-literal=password=s3cr3t -n x",
            "6b3873000a0c0a027631120653656372657412300a180a0764622d7061737312001a017822002a0032003800420012120a0870617373776f726412067333637233741a001a002200",
            """{"kind":"Secret","apiVersion":"v1","metadata":{"name":"db-pass","namespace":"x"},"data":{"password":"czNjcjN0"}}"""
        },
        {
            "kubectl create configmap settings --from-literal=mode=strict -n x",
            "6b3873000a0f0a0276311209436f6e6669674d6170122b0a190a0873657474696e677312001a017822002a00320038004200120e0a046d6f646512067374726963741a002200",
            """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"settings","namespace":"x"},"data":{"mode":"strict"}}"""
        },
        {
            "kubectl create serviceaccount operator -n x",
            "6b3873000a140a027631120e536572766963654163636f756e74121b0a190a086f70657261746f7212001a017822002a003200380042001a002200",
            """{"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"operator","namespace":"x"}}"""
        },
        {
            "kubectl create role reader --verb=get,list --resource=configmaps -n x",
            "6b3873000a240a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311204526f6c6512340a170a0672656164657212001a017822002a0032003800420012190a036765740a046c69737412001a0a636f6e6669676d6170731a002200",
            """{"kind":"Role","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"reader","namespace":"x"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["configmaps"]}]}"""
        },
        {
            "kubectl create rolebinding read --role=reader --serviceaccount=x:operator -n x",
            "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f6c6542696e64696e6712630a150a047265616412001a017822002a00320038004200121f0a0e536572766963654163636f756e7412001a086f70657261746f722201781a290a19726261632e617574686f72697a6174696f6e2e6b38732e696f1204526f6c651a067265616465721a002200",
            """{"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"read","namespace":"x"},"subjects":[{"kind":"ServiceAccount","name":"operator","namespace":"x"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"}}"""
        },
        {
            "kubectl create clusterrolebinding ops --clusterrole=view --group=ops --user=bob",
            "6b3873000a320a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311212436c7573746572526f6c6542696e64696e67129a010a130a036f707312001a0022002a0032003800420012280a04557365721219726261632e617574686f72697a6174696f6e2e6b38732e696f1a03626f62220012290a0547726f75701219726261632e617574686f72697a6174696f6e2e6b38732e696f1a036f707322001a2e0a19726261632e617574686f72697a6174696f6e2e6b38732e696f120b436c7573746572526f6c651a04766965771a002200",
            """{"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"ops"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"},{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"ops"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}"""
        },
        {
            "kubectl create service clusterip web --tcp=80:8080 -n x",
            "6b3873000a0d0a027631120753657276696365126a0a200a0377656212001a017822002a003200380042005a0a0a03617070120377656212420a1b0a0738302d38303830120354435018502207080010903f1a002800120a0a0361707012037765621a002209436c757374657249503a00420052005a00600068001a020a001a002200",
            """{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"x","labels":{"app":"web"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],"selector":{"app":"web"},"type":"ClusterIP"}}"""
        },
        {
            "kubectl create pdb p --selector=app=web --max-unavailable=1 -n x",
            "6b3873000a200a09706f6c6963792f76311213506f6444697372757074696f6e42756467657412380a120a017012001a017822002a003200380042001216120c0a0a0a0361707012037765621a06080010011a001a0a080018002000280030001a002200",
            """{"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"p","namespace":"x"},"spec":{"selector":{"matchLabels":{"app":"web"}},"maxUnavailable":1}}"""
        },
        {
            "kubectl auth can-i patch statefulsets.apps -n clinical --subresource=scale",
            "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365737352657669657712500a100a0012001a0022002a0032003800420012320a300a08636c696e6963616c120570617463681a046170707322002a0c737461746566756c7365747332057363616c653a001a08080012001a0020001a002200",
            """{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"resourceAttributes":{"namespace":"clinical","verb":"patch","group":"apps","resource":"statefulsets","subresource":"scale"}}}"""
        },
        {
            "kubectl create token op --duration=20m",
            "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e52657175657374121d0a100a0012001a0022002a00320038004200120320b0091a040a0012001a002200",
            """{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"expirationSeconds":1200}}"""
        },
    };

    [Theory]
    [MemberData(nameof(KubectlBodies))]
    public void Decodes_what_kubectl_sends(string command, string hex, string expectedJson)
    {
        _ = command;
        var decoded = KubeProtobuf.Decode(Convert.FromHexString(hex));
        TestJson.Equal(expectedJson, decoded);
    }

    [Fact]
    public void Reads_the_envelope_type()
    {
        var (apiVersion, kind, raw) = KubeProtobuf.ReadEnvelope(Convert.FromHexString(Namespace));
        Assert.Equal(("v1", "Namespace"), (apiVersion, kind));
        Assert.NotEmpty(raw);
    }

    const string Namespace = "6b3873000a0f0a02763112094e616d657370616365121e0a160a067465616d2d6112001a0022002a0032003800420012001a020a001a002200";

    [Fact]
    public void A_body_without_the_magic_prefix_is_refused()
    {
        var e = Assert.Throws<ProtobufException>(() => KubeProtobuf.Decode("{}"u8));
        Assert.Contains("expected prefix [107 56 115 0]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_body_is_refused_not_misread()
    {
        var bytes = Convert.FromHexString(Namespace);
        Assert.Throws<ProtobufException>(() => KubeProtobuf.Decode(bytes.AsSpan(0, bytes.Length - 20)));
    }

    [Fact]
    public void An_unknown_kind_decodes_to_null()
    {
        // runtime.Unknown{typeMeta={apiVersion="apps/v1", kind="Deployment"}}: a kind this decoder has no schema for.
        byte[] body = [.. "k8s\0"u8, 0x0a, 0x15, 0x0a, 0x07, .. "apps/v1"u8, 0x12, 0x0a, .. "Deployment"u8, 0x12, 0x00];
        Assert.Null(KubeProtobuf.Decode(body));
        Assert.False(KubeProtobuf.Supports("apps/v1", "Deployment"));
    }

    [Fact]
    public void Pointer_fields_keep_an_explicit_false()
    {
        // ConfigMap{metadata={name="c"}, immutable=false}: immutable is *bool, so false was set on purpose.
        byte[] raw = [0x0a, 0x03, 0x0a, 0x01, (byte)'c', 0x20, 0x00];
        byte[] body = [.. "k8s\0"u8, 0x0a, 0x0f, 0x0a, 0x02, .. "v1"u8, 0x12, 0x09, .. "ConfigMap"u8, 0x12, (byte)raw.Length, .. raw];
        TestJson.Equal("""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c"},"immutable":false}""", KubeProtobuf.Decode(body));
    }

    [Fact]
    public void Random_bytes_never_crash_the_decoder()
    {
        var random = new Random(4);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = Convert.FromHexString(Namespace);
            bytes[4 + random.Next(bytes.Length - 4)] = (byte)random.Next(256);
            try
            {
                KubeProtobuf.Decode(bytes);
            }
            catch (ProtobufException)
            {
                // Refusing malformed input is the expected outcome for many mutations.
            }
        }
    }
}
