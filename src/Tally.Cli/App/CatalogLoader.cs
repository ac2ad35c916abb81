using System.Globalization;
using Tally.Core.Pricing;

namespace Tally.Cli.App;

/// <summary>
/// The price catalog in force: the embedded one, then the newest imported LiteLLM file laid over it, then the user's
/// <c>prices.json</c> laid over that. A file that cannot be used is reported and left out, never guessed around.
/// </summary>
internal static class CatalogLoader
{
    /// <summary>Loads the catalog; problems with the user's files go to <paramref name="errors"/>.</summary>
    public static PriceCatalog Load(TallyPaths paths, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(errors);
        var catalog = PriceCatalog.Embedded;
        if (NewestLiteLlmFile(paths) is { } litellm)
        {
            catalog = Overlay(catalog, litellm.Path, errors, stream => LiteLlmImporter.Import(stream, litellm.Day));
        }

        if (File.Exists(paths.PricesFile))
        {
            catalog = Overlay(catalog, paths.PricesFile, errors, PriceCatalog.Load);
        }

        return catalog;
    }

    /// <summary>The newest <c>litellm/YYYY-MM-DD.json</c>, with its day.</summary>
    public static (string Path, DateOnly Day)? NewestLiteLlmFile(TallyPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!Directory.Exists(paths.LiteLlmDirectory))
        {
            return null;
        }

        return Directory.EnumerateFiles(paths.LiteLlmDirectory, "*.json")
            .Select(static f => (Path: f, Day: DateOnly.TryParseExact(System.IO.Path.GetFileNameWithoutExtension(f), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null))
            .Where(static f => f.Day is not null)
            .OrderByDescending(static f => f.Day)
            .Select(static f => ((string Path, DateOnly Day)?)(f.Path, f.Day!.Value))
            .FirstOrDefault();
    }

    private static PriceCatalog Overlay(PriceCatalog catalog, string path, ICollection<string> errors, Func<Stream, PriceCatalog> read)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return catalog.Merge(read(stream));
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: {ex.Message} This file's prices are not used until it is fixed.");
            return catalog;
        }
    }
}
