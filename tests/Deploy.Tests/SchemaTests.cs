using Billing.Deploy.Tests.Infrastructure;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Billing.Deploy.Tests;

/// <summary>
/// The manifests use the Kubernetes API's own field names. The YAML loader ignores fields it does not know (a
/// misspelt <c>readinesProbe</c> would silently vanish, and so would the probe), and there is no API server here
/// to validate against: so every field of the rendered YAML must survive a round trip through the typed models.
/// </summary>
public sealed class SchemaTests
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_field_of_every_rendered_manifest_is_part_of_the_kubernetes_api(string overlay)
    {
        AssertNoUnknownFields(overlay, Kubectl.Render(overlay).Yaml);
    }

    [Fact]
    public void Every_field_of_the_secret_template_is_part_of_the_kubernetes_api()
    {
        AssertNoUnknownFields(SecretTemplate.Path, Repository.Read(SecretTemplate.Path));
    }

    private static void AssertNoUnknownFields(string source, string yaml)
    {
        var raw = Documents(yaml);
        var typed = KubernetesYaml.LoadAllFromString(yaml);
        Assert.Equal(raw.Count, typed.Count);

        var unknown = new List<string>();
        for (var i = 0; i < raw.Count; i++)
        {
            var roundTrip = Documents(KubernetesYaml.Serialize(typed[i])).Single();
            var kind = typed[i] is IKubernetesObject<k8s.Models.V1ObjectMeta> o ? $"{o.Kind}/{o.Metadata.Name}" : $"document {i}";
            Compare(raw[i], roundTrip, kind, unknown);
        }

        Assert.True(unknown.Count == 0,
            $"{source}: fields the Kubernetes API does not have:{Environment.NewLine}{string.Join(Environment.NewLine, unknown)}");
    }

    private static void Compare(object? raw, object? roundTrip, string path, List<string> unknown)
    {
        switch (raw)
        {
            case Dictionary<object, object> map:
                var other = roundTrip as Dictionary<object, object>;
                foreach (var (key, value) in map)
                {
                    var name = $"{path}.{key}";
                    if (other is null || !other.TryGetValue(key, out var kept))
                    {
                        unknown.Add(name);
                    }
                    else
                    {
                        Compare(value, kept, name, unknown);
                    }
                }

                break;
            case List<object> list:
                var otherList = roundTrip as List<object> ?? [];
                for (var i = 0; i < list.Count; i++)
                {
                    Compare(list[i], i < otherList.Count ? otherList[i] : null, $"{path}[{i}]", unknown);
                }

                break;
        }
    }

    private static List<object?> Documents(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<object?>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(deserializer.Deserialize<object?>(parser));
        }

        return documents;
    }
}
