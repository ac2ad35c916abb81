using System.Text.Json;

namespace Tally.Ingest.ClaudeCode;

/// <summary>Reads a <c>message.usage</c> object into <see cref="LineFields"/>.</summary>
internal static class UsageReader
{
    public static void Read(ref Utf8JsonReader reader, ref LineFields f, FileStrings strings)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                f.Input = Count(ref reader, "usage.input_tokens", ref f);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                f.Output = Count(ref reader, "usage.output_tokens", ref f);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                f.CacheCreation = Count(ref reader, "usage.cache_creation_input_tokens", ref f);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                f.CacheRead = Count(ref reader, "usage.cache_read_input_tokens", ref f);
            }
            else if (reader.ValueTextEquals("cache_creation"u8))
            {
                reader.Read();
                ReadObject(ref reader, ref f, static (ref Utf8JsonReader r, ref LineFields x) =>
                {
                    if (r.ValueTextEquals("ephemeral_5m_input_tokens"u8))
                    {
                        x.Split5m = Count(ref r, "usage.cache_creation.ephemeral_5m_input_tokens", ref x);
                        return true;
                    }

                    if (r.ValueTextEquals("ephemeral_1h_input_tokens"u8))
                    {
                        x.Split1h = Count(ref r, "usage.cache_creation.ephemeral_1h_input_tokens", ref x);
                        return true;
                    }

                    return false;
                });
            }
            else if (reader.ValueTextEquals("server_tool_use"u8))
            {
                reader.Read();
                ReadObject(ref reader, ref f, static (ref Utf8JsonReader r, ref LineFields x) =>
                {
                    if (r.ValueTextEquals("web_search_requests"u8))
                    {
                        x.WebSearch = Count(ref r, "usage.server_tool_use.web_search_requests", ref x);
                        return true;
                    }

                    if (r.ValueTextEquals("web_fetch_requests"u8))
                    {
                        x.WebFetch = Count(ref r, "usage.server_tool_use.web_fetch_requests", ref x);
                        return true;
                    }

                    return false;
                });
            }
            else if (reader.ValueTextEquals("service_tier"u8))
            {
                f.ServiceTier = TranscriptLineParser.ReadString(ref reader, "usage.service_tier", ref f, strings.ServiceTier);
            }
            else if (reader.ValueTextEquals("speed"u8))
            {
                f.Speed = TranscriptLineParser.ReadString(ref reader, "usage.speed", ref f, strings.Speed);
            }
            else if (reader.ValueTextEquals("inference_geo"u8))
            {
                f.InferenceGeo = TranscriptLineParser.ReadString(ref reader, "usage.inference_geo", ref f, strings.InferenceGeo);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private delegate bool PropertyHandler(ref Utf8JsonReader reader, ref LineFields fields);

    private static void ReadObject(ref Utf8JsonReader reader, ref LineFields f, PropertyHandler handle)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!handle(ref reader, ref f))
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static long Count(ref Utf8JsonReader reader, string name, ref LineFields f)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return 0;
            case JsonTokenType.Number when reader.TryGetInt64(out var value) && value >= 0:
                return value;
            case JsonTokenType.Number:
                f.TypeError ??= $"{name} should be a whole number of tokens, not {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}";
                return 0;
            default:
                f.TypeError ??= $"{name} should be a number but is {TranscriptLineParser.Describe(reader.TokenType)}";
                reader.Skip();
                return 0;
        }
    }
}
