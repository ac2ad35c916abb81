using System.Text.Json;

using Tally.Bench.Common;

namespace Tally.Bench.Speed;

/// <summary>The speed run as JSON, for the docs: the same figures as the table, plus every run.</summary>
internal static class SpeedJson
{
    public static void Write(TextWriter output, SpeedResult r)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("corpus");
            json.WriteString("directory", r.Corpus.Directory);
            json.WriteNumber("bytes", r.Corpus.Bytes);
            json.WriteNumber("files", r.Corpus.Files);
            json.WriteBoolean("generated", r.Corpus.Generated);
            json.WriteEndObject();
            json.WriteNumber("cores", Environment.ProcessorCount);
            json.WriteString("os", Environment.OSVersion.ToString());
            json.WriteString("loadAverageBefore", r.Load.Before);
            json.WriteString("loadAverageAfter", r.Load.After);
            json.WriteNumber("repeat", r.Repeat);
            json.WriteNumber("appendBytes", r.AppendBytes);
            json.WriteString("peakRssMethod", ProcessRunner.RssMethod);
            json.WriteStartArray("measurements");
            foreach (Measurement m in r.Measurements)
            {
                WriteMeasurement(json, r, m);
            }

            json.WriteEndArray();
            json.WriteStartArray("checks");
            foreach (SpeedCheck c in r.Checks)
            {
                json.WriteStartObject();
                json.WriteBoolean("passed", c.Passed);
                json.WriteString("text", c.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("passed", r.Passed);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteMeasurement(Utf8JsonWriter json, SpeedResult r, Measurement m)
    {
        json.WriteStartObject();
        json.WriteString("id", m.Id);
        json.WriteString("tool", m.Tool);
        json.WriteString("label", m.Label);
        json.WriteString("command", m.Command);
        json.WriteBoolean("succeeded", m.AllSucceeded);
        json.WriteNumber("medianSeconds", Math.Round(m.Median, 4));
        json.WriteNumber("minSeconds", Math.Round(m.Min, 4));
        json.WriteNumber("maxSeconds", Math.Round(m.Max, 4));
        json.WriteStartArray("runsSeconds");
        foreach (double s in m.Seconds)
        {
            json.WriteNumberValue(Math.Round(s, 4));
        }

        json.WriteEndArray();
        WriteOptional(json, "peakRssBytesMedian", m.MedianRss);
        WriteOptional(json, "peakRssBytesMax", m.MaxRss);
        if (m.PeerId is not null)
        {
            json.WriteString("comparedWith", m.PeerId);
        }

        if (r.Ratio(m) is { } ratio)
        {
            json.WriteNumber("ratioToPeer", Math.Round(ratio, 4));
        }

        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
