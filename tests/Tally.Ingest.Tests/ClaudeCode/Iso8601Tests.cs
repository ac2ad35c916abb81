using System.Text;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

public class Iso8601Tests
{
    [Theory]
    [InlineData("2026-11-20T09:50:03Z", "2026-11-20T09:50:03.0000000+00:00")]
    [InlineData("2026-11-20T09:50:03.1Z", "2026-11-20T09:50:03.1000000+00:00")]
    [InlineData("2026-11-20T09:50:03.123Z", "2026-11-20T09:50:03.1230000+00:00")]
    [InlineData("2026-11-20T09:50:03.123456Z", "2026-11-20T09:50:03.1234560+00:00")]
    [InlineData("2026-11-20T09:50:03.123456789Z", "2026-11-20T09:50:03.1234567+00:00")]
    [InlineData("2026-11-20T10:50:03.5+01:00", "2026-11-20T09:50:03.5000000+00:00")]
    [InlineData("2026-11-20T04:20:03-0530", "2026-11-20T09:50:03.0000000+00:00")]
    [InlineData("2026-11-20T19:50:03+10", "2026-11-20T09:50:03.0000000+00:00")]
    [InlineData("2026-11-20 09:50:03", "2026-11-20T09:50:03.0000000+00:00")]
    [InlineData("2026-11-21T00:30:00+01:00", "2026-11-20T23:30:00.0000000+00:00")]
    public void Parses_any_fraction_length_and_offset_to_utc(string text, string expected)
    {
        Assert.True(Iso8601.TryParse(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(expected, value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-11-20T25:00:00Z")]
    [InlineData("2026-11-20T09:50:03.Z")]
    [InlineData("2026-11-20T09:50:03+15:00")]
    [InlineData("2026-11-20T09:50:03Zjunk")]
    [InlineData("1732000000")]
    public void Rejects_what_is_not_a_timestamp(string text)
    {
        Assert.False(Iso8601.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }
}
