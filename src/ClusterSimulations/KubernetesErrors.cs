using System.Net;
using k8s.Autorest;

namespace HipaaMongo.ClusterSimulations;

/// <summary>Writes whose "already done" answers (404 on delete or get, 409 on create) mean success to a controller.</summary>
internal static class KubernetesErrors
{
    public static async Task<bool> IgnoreAsync(Func<Task> write, params HttpStatusCode[] expected)
    {
        try
        {
            await write();
            return true;
        }
        catch (HttpOperationException e) when (e.Response is not null && expected.Contains(e.Response.StatusCode))
        {
            return false;
        }
    }

    /// <summary>
    /// A delete: 404 means already gone. A 2xx body the typed client cannot read also means done: an API server
    /// answers an immediate delete with a Status or with the deleted object, and each typed method expects only one.
    /// </summary>
    public static async Task DeleteAsync(Func<Task> delete)
    {
        try
        {
            await IgnoreAsync(delete, HttpStatusCode.NotFound);
        }
        catch (System.Text.Json.JsonException)
        {
            // deleted; the answer was the other shape
        }
    }

    public static async Task<T?> OrNullAsync<T>(Func<Task<T>> get)
        where T : class
    {
        try
        {
            return await get();
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
