using Tally.Core.Storage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<DirectoryListing>> LoadListingsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var statement = new RawStatement(_connection, "SELECT path, dev, ino, mtime, ctime, listed, files, subdirs FROM dirs;");
            var listings = new List<DirectoryListing>();
            while (statement.Step())
            {
                listings.Add(new DirectoryListing
                {
                    Path = statement.Text(0),
                    Stamp = new DirectoryStamp(statement.Int64(1), statement.Int64(2), statement.Int64(3), statement.Int64(4)),
                    ListedAtNs = statement.Int64(5),
                    Files = Split(statement.Text(6)),
                    Directories = Split(statement.Text(7)),
                });
            }

            return listings;
        }
        finally
        {
            _gate.Release();
        }

        static string[] Split(string names) => names.Length == 0 ? [] : names.Split('/');
    }

    /// <inheritdoc />
    public async Task SaveListingsAsync(IReadOnlyCollection<DirectoryListing> listed, IReadOnlyCollection<string> gone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listed);
        ArgumentNullException.ThrowIfNull(gone);
        if (listed.Count == 0 && gone.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using (var save = new RawStatement(_connection, """
                INSERT INTO dirs (path, dev, ino, mtime, ctime, listed, files, subdirs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, mtime = excluded.mtime,
                  ctime = excluded.ctime, listed = excluded.listed, files = excluded.files, subdirs = excluded.subdirs;
                """))
            {
                foreach (var listing in listed)
                {
                    save.Bind(1, listing.Path);
                    save.Bind(2, listing.Stamp.Device);
                    save.Bind(3, listing.Stamp.Inode);
                    save.Bind(4, listing.Stamp.ModifiedNs);
                    save.Bind(5, listing.Stamp.ChangedNs);
                    save.Bind(6, listing.ListedAtNs);
                    save.Bind(7, string.Join('/', listing.Files));
                    save.Bind(8, string.Join('/', listing.Directories));
                    save.Execute();
                }
            }

            using (var forget = new RawStatement(_connection, "DELETE FROM dirs WHERE path = ?1;"))
            {
                foreach (var path in gone)
                {
                    forget.Bind(1, path);
                    forget.Execute();
                }
            }

            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }
}
