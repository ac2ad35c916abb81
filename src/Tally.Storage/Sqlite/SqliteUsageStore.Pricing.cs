using Microsoft.Data.Sqlite;
using Tally.Core.Pricing;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <inheritdoc />
    public async Task<int> RepriceAsync(PriceCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            RefreshRollup();
            if (NothingToReprice(catalog.Version))
            {
                return 0;
            }

            using var transaction = _connection.BeginTransaction(deferred: false);
            var current = AddCatalog(transaction, catalog.Version);

            var changes = new List<(string Key, PriceQuote Quote, long OldCost)>();
            using (var select = Command(transaction, "SELECT key, seen_ts, model, input, output, cw5m, cw1h, cache_read, web_search, service_tier, speed, geo, cost, price_status, long_context FROM records WHERE catalog <> $current;", ("$current", current)))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    var quote = catalog.Price(new PricingRequest
                    {
                        Model = reader.GetString(2),
                        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                        Tokens = new TokenCounts(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)),
                        WebSearchRequests = reader.GetInt32(8),
                        ServiceTier = reader.IsDBNull(9) ? null : reader.GetString(9),
                        Speed = reader.IsDBNull(10) ? null : reader.GetString(10),
                        InferenceGeo = reader.IsDBNull(11) ? null : reader.GetString(11),
                    });
                    changes.Add((reader.GetString(0), quote, reader.GetInt64(12)));
                }
            }

            var changed = 0;
            using (var update = Command(transaction, "UPDATE records SET cost = $cost, price_status = $status, long_context = $long, catalog = $catalog WHERE key = $key;"))
            {
                var key = update.Parameters.Add("$key", SqliteType.Text);
                var cost = update.Parameters.Add("$cost", SqliteType.Integer);
                var status = update.Parameters.Add("$status", SqliteType.Integer);
                var longContext = update.Parameters.Add("$long", SqliteType.Integer);
                update.Parameters.AddWithValue("$catalog", current);
                foreach (var (recordKey, quote, oldCost) in changes)
                {
                    key.Value = recordKey;
                    cost.Value = ToUnits(quote.CostUsd);
                    status.Value = (int)quote.Status;
                    longContext.Value = quote.LongContext ? 1 : 0;
                    update.ExecuteNonQuery();
                    changed += ToUnits(quote.CostUsd) == oldCost ? 0 : 1;
                }
            }

            transaction.Commit();
            _catalogIds[catalog.Version] = current;
            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// True when the catalog version is known and no rollup row (so no record) was priced with another one: the
    /// common case, answered from the small rollup table without a write transaction.
    /// </summary>
    private bool NothingToReprice(string version)
    {
        using var find = Command(null, "SELECT id FROM catalogs WHERE version = $v;", ("$v", version));
        if (find.ExecuteScalar() is not long current)
        {
            return false;
        }

        using var other = Command(null, "SELECT EXISTS (SELECT 1 FROM rollup WHERE catalog < $c OR catalog > $c);", ("$c", current));
        if (Convert.ToInt64(other.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0)
        {
            return false;
        }

        _catalogIds[version] = current;
        return true;
    }
}
