using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Hosting;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>Bad input gets kube-apiserver's status codes and Status bodies (doc §1, §9, §15), never a 500.</summary>
public sealed class BadInputTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    static void AssertStatus(int expectedCode, string expectedReason, (int Code, JsonNode? Body) reply)
    {
        Assert.Equal(expectedCode, reply.Code);
        Assert.Equal("Status", (string?)reply.Body?["kind"]);
        Assert.Equal("v1", (string?)reply.Body?["apiVersion"]);
        Assert.Equal("Failure", (string?)reply.Body?["status"]);
        Assert.Equal(expectedReason, (string?)reply.Body?["reason"]);
        Assert.Equal(expectedCode, (int?)reply.Body?["code"]);
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        using var http = RawHttp.Create(cluster.Server);
        AssertStatus(400, "BadRequest", await RawHttp.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{not json"));
    }

    [Fact]
    public async Task Malformed_protobuf_is_400_and_other_media_types_are_415_with_the_accepted_types()
    {
        using var http = RawHttp.Create(cluster.Server);
        var garbled = await RawHttp.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "x", "application/vnd.kubernetes.protobuf");
        AssertStatus(400, "BadRequest", garbled);
        var text = await RawHttp.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "x", "text/plain");
        AssertStatus(415, "UnsupportedMediaType", text);
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf", (string?)text.Body!["message"]);
    }

    [Fact]
    public async Task Unknown_resource_is_404()
    {
        using var http = RawHttp.Create(cluster.Server);
        AssertStatus(404, "NotFound", await RawHttp.SendAsync(http, HttpMethod.Get, "/apis/nope.example.com/v1/widgets"));
    }

    [Fact]
    public async Task Unparseable_label_selector_is_400()
    {
        using var http = RawHttp.Create(cluster.Server);
        AssertStatus(400, "BadRequest", await RawHttp.SendAsync(http, HttpMethod.Get, "/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(b"));
    }

    [Fact]
    public async Task Json_patch_test_failure_is_422_and_wrong_patch_type_is_415()
    {
        using var http = RawHttp.Create(cluster.Server);
        await RawHttp.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"p"},"data":{"k":"v"}}""");
        var test = await RawHttp.SendAsync(http, HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/p",
            """[{"op":"test","path":"/data/k","value":"other"}]""", "application/json-patch+json");
        AssertStatus(422, "Invalid", test);
        AssertStatus(415, "UnsupportedMediaType", await RawHttp.SendAsync(http, HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/p", "{}", "text/plain"));
    }

    [Fact]
    public async Task Missing_token_is_401()
    {
        using var http = RawHttp.Create(cluster.Server);
        http.DefaultRequestHeaders.Authorization = null;
        AssertStatus(401, "Unauthorized", await RawHttp.SendAsync(http, HttpMethod.Get, "/api/v1/namespaces"));
    }

    [Fact]
    public async Task Injected_429_is_text_plain_with_retry_after_and_is_audited()
    {
        // Its own namespace: other tests sharing this cluster create secrets concurrently.
        const string ns = "bad-input-429";
        using var http = RawHttp.Create(cluster.Server);
        var created = await RawHttp.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"bad-input-429"}}""");
        Assert.Equal(201, created.Code);
        cluster.Server.Faults.Add(new Fault("create", "secrets", 429, Times: 1, RetryAfterSeconds: 3));
        using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets")
        {
            Content = new StringContent("""{"metadata":{"name":"s"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        using var resp = await http.SendAsync(req);
        Assert.Equal(429, (int)resp.StatusCode);
        Assert.Equal("3", resp.Headers.GetValues("Retry-After").Single());
        Assert.StartsWith("text/plain", resp.Content.Headers.ContentType!.ToString());
        var second = await RawHttp.SendAsync(http, HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"metadata":{"name":"s"}}""");
        Assert.Equal(201, second.Code);
        var creates = cluster.Server.AuditTrail.Records.Where(r => r.Verb == "create" && r.Resource == "secrets" && r.Namespace == ns).ToList();
        Assert.Equal([429, 201], creates.Select(r => r.Code));
        Assert.DoesNotContain(cluster.Server.AuditTrail.Writes, r => r.Verb == "delete" && r.Resource == "persistentvolumeclaims");
    }

    [Fact]
    public async Task A_request_is_in_the_audit_trail_as_soon_as_its_reply_starts()
    {
        // A watch answers its headers at once and then streams: the record must exist while it is still open, so a
        // client that has read any reply (a 429, a 201) can never look for its record before it is written.
        using var http = RawHttp.Create(cluster.Server);
        using var req = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=30&labelSelector=audit-probe%3Dyes");
        using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)resp.StatusCode);
        Assert.Single(cluster.Server.AuditTrail.Records, r => r.Verb == "watch" && r.Query.Contains("audit-probe", StringComparison.Ordinal) && r.Code == 200);
    }

    [Fact]
    public async Task Unknown_fields_on_built_ins_are_refused_when_strict_and_dropped_with_a_warning_otherwise()
    {
        using var http = RawHttp.Create(cluster.Server);
        var sts = """
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s"},"spec":{"serviceName":"s",
             "selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
             "spec":{"containers":[{"name":"c","image":"i:1","bogusField":1}]}}}}
            """;
        var strict = await RawHttp.SendAsync(http, HttpMethod.Post, "/apis/apps/v1/namespaces/default/statefulsets?fieldValidation=Strict", sts);
        AssertStatus(400, "BadRequest", strict);
        Assert.Equal("StatefulSet in version \"v1\" cannot be handled as a StatefulSet: strict decoding error: unknown field \"spec.template.spec.containers[0].bogusField\"",
            (string?)strict.Body!["message"]);

        using var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/default/configmaps")
        {
            Content = new StringContent("""{"metadata":{"name":"warned"},"bogus":1,"data":{"k":"v"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        using var resp = await http.SendAsync(req);
        Assert.Equal(201, (int)resp.StatusCode);
        Assert.Equal("299 - \"unknown field \\\"bogus\\\"\"", resp.Headers.GetValues("Warning").Single());
        var stored = await RawHttp.SendAsync(http, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/warned");
        Assert.Null(stored.Body!["bogus"]);
        Assert.Equal("v", (string?)stored.Body!["data"]!["k"]);
    }

    [Fact]
    public async Task Built_in_times_are_stored_as_time_or_micro_time()
    {
        using var http = RawHttp.Create(cluster.Server);
        var ev = await RawHttp.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/events",
            """{"metadata":{"name":"t1"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"R","message":"m","firstTimestamp":"2024-01-01T00:00:00.123456Z","eventTime":"2024-01-01T00:00:00.123456Z"}""");
        Assert.Equal(201, ev.Code);
        Assert.Equal("2024-01-01T00:00:00Z", (string?)ev.Body!["firstTimestamp"]);
        Assert.Equal("2024-01-01T00:00:00.123456Z", (string?)ev.Body!["eventTime"]);
        var lease = await RawHttp.SendAsync(http, HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/default/leases",
            """{"metadata":{"name":"l1"},"spec":{"holderIdentity":"a","renewTime":"2024-01-01T00:00:00Z"}}""");
        Assert.Equal(201, lease.Code);
        Assert.Equal("2024-01-01T00:00:00.000000Z", (string?)lease.Body!["spec"]!["renewTime"]);
    }

    [Theory]
    [InlineData("/apis/apps/v1/namespaces/default/statefulsets", """{"metadata":{"name":"x"},"spec":"not an object"}""")]
    [InlineData("/api/v1/namespaces/default/configmaps", """{"metadata":"nope","data":{"k":"v"}}""")]
    [InlineData("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", """{"metadata":{"name":"a.b"},"spec":{"group":5,"names":"x","versions":[7]}}""")]
    [InlineData("/api/v1/namespaces/default/services", """{"metadata":{"name":"s"},"spec":{"ports":[5]}}""")]
    [InlineData("/api/v1/namespaces", "[1,2]")]
    public async Task Oddly_shaped_bodies_get_a_4xx_status_never_a_500(string path, string body)
    {
        using var http = RawHttp.Create(cluster.Server);
        var reply = await RawHttp.SendAsync(http, HttpMethod.Post, path, body);
        Assert.InRange(reply.Code, 400, 499);
        Assert.Equal("Status", (string?)reply.Body?["kind"]);
    }
}
