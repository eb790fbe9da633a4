#if canImport(Glibc)
import Glibc
#endif
import _SlimKernelsX86

/// What the CPU this process runs on can do, read once from the operating system, so fast
/// paths are chosen at run time (dispatch by table, not by build).
public struct CPUFeatures: Sendable {
    /// AVX-512 Foundation and Byte/Word instructions.
    public let hasAVX512: Bool
    /// AVX-512 VNNI (`vpdpbusd`, u8 × s8 dot products into int32).
    public let hasAVX512VNNI: Bool

    /// Whether the VNNI int8 kernel is compiled into this build and the CPU supports it.
    public var hasVNNIKernel: Bool { vnniKernelCompiled && hasAVX512 && hasAVX512VNNI }

    /// The features of this machine.
    public static let current = CPUFeatures.detect()

    /// Reads the `flags` line of `/proc/cpuinfo` (Linux lists there only the features the
    /// kernel enabled, so AVX-512 appears only if the OS saves its registers).
    static func detect() -> CPUFeatures {
        let flags = cpuFlags()
        return CPUFeatures(hasAVX512: flags.contains("avx512f") && flags.contains("avx512bw"),
                           hasAVX512VNNI: flags.contains("avx512_vnni"))
    }

    init(hasAVX512: Bool, hasAVX512VNNI: Bool) {
        self.hasAVX512 = hasAVX512
        self.hasAVX512VNNI = hasAVX512VNNI
    }

    private static func cpuFlags() -> Set<Substring> {
        #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            if text.hasPrefix("flags") {
                let value = text.drop { $0 != ":" }.dropFirst()
                return Set(value.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }))
            }
        }
        return []
        #else
        return []
        #endif
    }
}
