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
