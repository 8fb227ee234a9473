internal import CCurl

/// How the process's allocator hands memory back to the system.
public enum ProcessMemory {
    /// glibc raises its mmap threshold to the size of each large block freed (up to 32 MiB), and its
    /// trim threshold with it, so that the megabytes a scan or a daemon round used once stay in the
    /// process's RSS for good. Fixed at glibc's default (128 KiB), large blocks go back to the system
    /// when they are freed: a 100,000-page scan peaked at 67.5 MiB without it, 62 MiB with it.
    /// Call it first, before anything allocates.
    public static func returnLargeBlocksWhenFreed() {
        _ = cw_fix_mmap_threshold(128 * 1024)
    }

    /// Bytes the allocator holds in blocks mapped on their own: what it gives back as they are freed.
    public static var mappedBytes: Int { Int(cw_mmapped_bytes()) }
}
