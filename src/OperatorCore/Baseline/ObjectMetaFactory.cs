using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>Metadata for every child object: name, namespace, labels and the owner reference.</summary>
internal static class ObjectMetaFactory
{
    public static V1ObjectMeta Create(BaselineModel model, string name, string component) => new()
    {
        Name = name,
        NamespaceProperty = model.Namespace,
        Labels = Labels.For(model.Name, component),
        OwnerReferences = OwnerReferences(model),
    };

    /// <summary>
    /// A controller reference to the HipaaMongo, so garbage collection follows the resource. Without
    /// a uid (a file previewed by `render`) there is nothing valid to point at, so none is written.
    /// </summary>
    public static List<V1OwnerReference>? OwnerReferences(BaselineModel model) =>
        string.IsNullOrEmpty(model.Uid)
            ? null
            :
            [
                new V1OwnerReference
                {
                    ApiVersion = ApiGroup.ApiVersion,
                    Kind = ApiGroup.Kind,
                    Name = model.Name,
                    Uid = model.Uid,
                    Controller = true,
                    BlockOwnerDeletion = true,
                },
            ];
}
