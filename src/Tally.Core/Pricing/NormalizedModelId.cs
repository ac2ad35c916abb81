namespace Tally.Core.Pricing;

/// <summary>A model id reduced to the Anthropic API form, and what the reduction removed that matters for price.</summary>
/// <param name="Id">The id in lower case without region, <c>anthropic.</c> and <c>-vN[:M]</c> parts, <c>@date</c> as <c>-date</c>.</param>
/// <param name="RegionalEndpoint">True when the raw id had a Bedrock regional prefix (<c>us.</c>, <c>eu.</c>, <c>jp.</c>, <c>apac.</c>, <c>au.</c>; not <c>global.</c>).</param>
public sealed record NormalizedModelId(string Id, bool RegionalEndpoint);
