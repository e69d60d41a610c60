using k8s.Models;

namespace HipaaMongo.Entities.Crds;

/// <summary>The metav1.Condition schema as controller-gen emits it (k8s.io/apimachinery types.go).</summary>
internal static class ConditionSchema
{
    public static V1JSONSchemaProps Build() => new()
    {
        Type = "object",
        Description = "Condition contains details for one aspect of the current state of this API Resource.",
        Required = ["lastTransitionTime", "message", "reason", "status", "type"],
        Properties = new Dictionary<string, V1JSONSchemaProps>
        {
            ["lastTransitionTime"] = new()
            {
                Type = "string",
                Format = "date-time",
                Description = "lastTransitionTime is the last time the condition transitioned from one status to another.",
            },
            ["message"] = new()
            {
                Type = "string",
                MaxLength = 32768,
                Description = "message is a human readable message indicating details about the transition.",
            },
            ["observedGeneration"] = new()
            {
                Type = "integer",
                Format = "int64",
                Minimum = 0,
                Description = "observedGeneration represents the .metadata.generation that the condition was set based upon.",
            },
            ["reason"] = new()
            {
                Type = "string",
                MinLength = 1,
                MaxLength = 1024,
                Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                Description = "reason contains a programmatic identifier indicating the reason for the condition's last transition.",
            },
            ["status"] = new()
            {
                Type = "string",
                EnumProperty = ["True", "False", "Unknown"],
                Description = "status of the condition, one of True, False, Unknown.",
            },
            ["type"] = new()
            {
                Type = "string",
                MaxLength = 316,
                Pattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                Description = "type of condition in CamelCase or in foo.example.com/CamelCase.",
            },
        },
    };
}
