using System.Collections.Specialized;
using System.Text.Json;
using Quartz;
using Quartz.Spi;

namespace Vigil.Benchmarks.Ledger;

/// <summary>
/// A minimal Quartz object serializer for job data maps of strings (all the benchmark's no-op jobs
/// carry). Quartz's ADO job store needs one; its JSON serializer packages do not resolve from the
/// package source this project builds against, and binary serialization is gone from .NET.
/// </summary>
public sealed class StringMapSerializer : IObjectSerializer
{
    public void Initialize()
    {
    }

    public byte[] Serialize<T>(T obj)
        where T : class => obj switch
        {
            JobDataMap map => JsonSerializer.SerializeToUtf8Bytes(map.ToDictionary(p => p.Key, p => p.Value?.ToString())),
            NameValueCollection values => JsonSerializer.SerializeToUtf8Bytes(values.AllKeys.ToDictionary(k => k!, k => values[k])),
            _ => throw new NotSupportedException($"the benchmark serializer stores string maps only, not {typeof(T).Name}"),
        };

    public T? DeSerialize<T>(byte[] data)
        where T : class
    {
        var map = JsonSerializer.Deserialize<Dictionary<string, string?>>(data) ?? [];
        if (typeof(T) == typeof(JobDataMap))
        {
            var result = new JobDataMap();
            foreach (var (key, value) in map)
            {
                result[key] = value!;
            }

            return (T)(object)result;
        }

        if (typeof(T) == typeof(NameValueCollection))
        {
            var result = new NameValueCollection();
            foreach (var (key, value) in map)
            {
                result[key] = value;
            }

            return (T)(object)result;
        }

        throw new NotSupportedException($"the benchmark serializer reads string maps only, not {typeof(T).Name}");
    }
}
