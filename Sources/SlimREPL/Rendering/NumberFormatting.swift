#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as the REPL prints them: fixed digits at the session precision, grouped
/// integers, percentages, byte sizes. Deterministic (no locale), so transcripts never change.
public enum NumberFormatting {
    /// `value` with exactly `digits` digits after the point (`0.1235`), `nan`, `inf`,
    /// `-inf`; a value that rounds to zero prints without a minus sign.
    public static func fixed(_ value: Double, digits: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let digits = max(0, min(digits, 17))
        var text = cFormat("%.*f", Int32(digits), value)
        if text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return text
    }

    /// `Float` overload of `fixed(_:digits:)`.
    public static func fixed(_ value: Float, digits: Int) -> String { fixed(Double(value), digits: digits) }

    /// The shortest text that reads back as the Float `value` (`0.001`, not the
    /// 0.0010000000474974513 its Double holds).
    public static func shortest(float value: Float) -> String {
        if value.isNaN || value.isInfinite { return fixed(Double(value), digits: 0) }
        if value == value.rounded(), abs(value) < 1e7 { return String(Int64(value)) }
        return "\(value)"
    }

    /// The shortest text that reads back as `value` (`0.1`, `5`, `1e-06`).
    public static func shortest(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return fixed(value, digits: 0) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// An integer with thousands separators: `1,234,567`.
    public static func grouped<I: BinaryInteger>(_ value: I) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// A fraction as a percentage with `digits` decimals: `0.9734` → `97.34%`.
    public static func percent(_ fraction: Double, digits: Int = 2) -> String {
        fixed(fraction * 100, digits: digits) + "%"
    }

    /// A byte count in binary units: `812 B`, `18.8 KiB`, `3.25 MiB`.
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        let digits = abs(value) < 10 ? 2 : abs(value) < 100 ? 1 : 0
        return fixed(value, digits: digits) + " " + units[unit]
    }

    /// A duration: `850 µs`, `12.3 ms`, `4.56 s`, `2:05` (minutes:seconds), `1:02:05`.
    public static func duration(seconds: Double) -> String {
        if seconds < 0.001 { return fixed(seconds * 1_000_000, digits: 0) + " µs" }
        if seconds < 1 { return fixed(seconds * 1000, digits: seconds < 0.01 ? 2 : 1) + " ms" }
        if seconds < 60 { return fixed(seconds, digits: 2) + " s" }
        return clock(seconds: seconds)
    }

    /// Whole seconds as `m:ss` or `h:mm:ss`, as an ETA is shown.
    public static func clock(seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }

    private static func cFormat(_ format: String, _ precision: Int32, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let needed = withVaList([precision, value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        if needed >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(needed) + 1)
            _ = withVaList([precision, value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
