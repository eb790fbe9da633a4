#if canImport(Glibc)
import Glibc
#endif

/// What the CPU this process runs on can do, read once from the operating system, so fast
/// paths are chosen at run time (dispatch by table, not by build).
public struct CPUFeatures: Sendable {
    /// AVX2 and FMA (256-bit integer vectors and fused multiply-add): Intel since Haswell
    /// (2013), every AMD Zen.
    public let hasAVX2: Bool
    /// AVX-VNNI (`vpdpbusd` on 256-bit registers): Intel since Alder Lake, AMD since Zen 5.
    public let hasAVXVNNI: Bool
    /// AVX-512 Foundation, Byte/Word and Vector Length instructions.
    public let hasAVX512: Bool
    /// AVX-512 VNNI (`vpdpbusd`, u8 × s8 dot products into int32).
    public let hasAVX512VNNI: Bool

    /// The features of this machine.
    public static let current = CPUFeatures.detect()

    /// Reads the `flags` line of `/proc/cpuinfo`: the CPUID feature bits as the Linux kernel
    /// reports them, listing only what it enabled (AVX and AVX-512 appear only if the OS saves
    /// their registers on a context switch, which a raw CPUID would not tell).
    static func detect() -> CPUFeatures {
        let flags = cpuFlags()
        return CPUFeatures(hasAVX2: flags.contains("avx2") && flags.contains("fma"),
                           hasAVXVNNI: flags.contains("avx_vnni"),
                           hasAVX512: flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl"),
                           hasAVX512VNNI: flags.contains("avx512_vnni"))
    }

    init(hasAVX2: Bool, hasAVXVNNI: Bool, hasAVX512: Bool, hasAVX512VNNI: Bool) {
        self.hasAVX2 = hasAVX2
        self.hasAVXVNNI = hasAVXVNNI
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
