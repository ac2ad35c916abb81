using System.Runtime.InteropServices;
using Tally.Core.Storage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// The one system call a warm sync makes per transcript and per directory: Linux's <c>statx</c>, asked for only the
/// fields it needs, by full path (measured cheaper here than opening each directory and stat-ing relative to it). It
/// also gives what .NET does not expose: a directory's device, inode and status-change time. Elsewhere (or with a C
/// library without <c>statx</c>) <see cref="Supported"/> is false and callers use .NET's own file APIs.
/// </summary>
internal static partial class FileStat
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint MaskType = 0x1, MaskMtime = 0x40, MaskCtime = 0x80, MaskIno = 0x100, MaskSize = 0x200;
    private const ushort TypeMask = 0xF000, TypeDirectory = 0x4000, TypeRegular = 0x8000;

    /// <summary>True when <c>statx</c> can be called here.</summary>
    public static bool Supported { get; } = Probe();

    /// <summary>The stamp of the directory at <paramref name="path"/>; false when there is none (gone, not a
    /// directory, a symbolic link when <paramref name="followLinks"/> is false, or not readable).</summary>
    public static bool TryDirectory(string path, bool followLinks, out DirectoryStamp stamp)
    {
        stamp = default;
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, MaskType | MaskMtime | MaskCtime | MaskIno, out var buffer) != 0
            || (buffer.Mode & TypeMask) != TypeDirectory)
        {
            return false;
        }

        stamp = new DirectoryStamp(((long)buffer.DevMajor << 32) | buffer.DevMinor, unchecked((long)buffer.Inode), Nanoseconds(buffer.MtimeSeconds, buffer.MtimeNanoseconds), Nanoseconds(buffer.CtimeSeconds, buffer.CtimeNanoseconds));
        return true;
    }

    /// <summary>The size and last-write time (UTC ticks, as <see cref="FileSystemInfo.LastWriteTimeUtc"/> gives them) of
    /// the regular file at <paramref name="path"/>; false when there is none (gone, a directory, a symbolic link).</summary>
    public static bool TryFile(string path, out long size, out long modifiedTicks)
    {
        size = 0;
        modifiedTicks = 0;
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, MaskType | MaskSize | MaskMtime, out var buffer) != 0 || (buffer.Mode & TypeMask) != TypeRegular)
        {
            return false;
        }

        size = unchecked((long)buffer.Size);
        modifiedTicks = DateTime.UnixEpoch.Ticks + (buffer.MtimeSeconds * TimeSpan.TicksPerSecond) + (buffer.MtimeNanoseconds / TimeSpan.NanosecondsPerTick);
        return true;
    }

    private static long Nanoseconds(long seconds, uint nanoseconds) => (seconds * 1_000_000_000) + nanoseconds;

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return Statx(AtFdCwd, "/", 0, MaskType, out var root) == 0 && (root.Mode & TypeMask) == TypeDirectory;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>Linux's <c>struct statx</c> (the same layout on every architecture), the fields read here.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long CtimeSeconds;
        [FieldOffset(104)] public uint CtimeNanoseconds;
        [FieldOffset(112)] public long MtimeSeconds;
        [FieldOffset(120)] public uint MtimeNanoseconds;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }
}
