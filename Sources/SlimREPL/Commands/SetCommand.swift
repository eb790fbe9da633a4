import SlimKernels

/// `set [seed=N] [threads=N] [color=…] [precision=N] [pause=on|off] [pager=on|off] [max-memory=…]
/// [max-work=…]`: change session settings, or show them all.
struct SetCommand: REPLCommand {
    static let seed = Option<UInt64>("seed", in: 0..., summary: "the seed fresh random generators start from")
    static let threads = Option<Int>("threads", in: 1...256, summary: "threads the kernels use")
    static let color = Option<SessionSettings.ColorMode>(
        "color", summary: "colors: auto (on a terminal unless NO_COLOR is set), on, off")
    static let precision = Option<Int>("precision", in: SessionSettings.precisionRange,
                                       summary: "digits printed after the decimal point")
    static let pause = Option<Bool>("pause", summary: "wait for Enter between the steps of a technique and after each screenful (terminal only)")
    static let pager = Option<Bool>("pager", summary: "wait for Enter after each screenful of output, even without pause (terminal only)")
    static let maxMemory = Option<MemorySize>("max-memory", summary: "the most memory one model or command may take, e.g. 8G")
    static let maxWork = Option<WorkAmount>("max-work", summary: "the most multiply-adds one training command may plan, e.g. 100T (10¹⁴)")

    static let configuration = CommandConfiguration(
        name: "set", topic: .session,
        summary: "show or change the session settings",
        discussion: "Without arguments, shows every setting. With key=value pairs, changes those and shows what changed.",
        arguments: [seed, threads, color, precision, pause, pager, maxMemory, maxWork],
        examples: ["set", "set seed=42 threads=1", "set precision=6", "set pause=on"])

    let seed: UInt64?
    let threads: Int?
    let color: SessionSettings.ColorMode?
    let precision: Int?
    let pause: Bool?
    let pager: Bool?
    let maxMemory: MemorySize?
    let maxWork: WorkAmount?

    init(arguments: ParsedArguments) throws {
        seed = try arguments.optionalValue(Self.seed)
        threads = try arguments.optionalValue(Self.threads)
        color = try arguments.optionalValue(Self.color)
        precision = try arguments.optionalValue(Self.precision)
        pause = try arguments.optionalValue(Self.pause)
        pager = try arguments.optionalValue(Self.pager)
        maxMemory = try arguments.optionalValue(Self.maxMemory)
        maxWork = try arguments.optionalValue(Self.maxWork)
    }

    func run(in context: CommandContext) throws {
        let before = Self.settings(context)
        if let seed { context.workspace.seed = seed }
        if let threads { context.workspace.pool.resize(threads: threads) }
        if let color { context.settings.color = color }
        if let precision { context.settings.precision = precision }
        if let pause { context.settings.pause = pause }
        if let pager { context.settings.pager = pager }
        if let maxMemory { context.workspace.budget.maxBytes = maxMemory.bytes }
        if let maxWork { context.workspace.budget.maxWork = maxWork.multiplyAdds }
        let after = Self.settings(context)
        let changed = [seed == nil, threads == nil, color == nil, precision == nil, pause == nil, pager == nil, maxMemory == nil,
                       maxWork == nil]
        guard changed.contains(false) else {
            let width = after.map { $0.key.count }.max()! + 2
            context.print(lines: after.map { DisplayWidth.padRight($0.key, to: width) + $0.value })
            context.print(kernelDescription(threads: context.workspace.pool.threadCount))
            return
        }
        for (index, isUnset) in changed.enumerated() where !isUnset {
            let (key, old, new) = (after[index].key, before[index].value, after[index].value)
            context.print(old == new ? "\(key): \(new) (unchanged)" : "\(key): \(old) → \(new)")
        }
    }

    static func settings(_ context: CommandContext) -> [(key: String, value: String)] {
        [("seed", String(context.workspace.seed)),
         ("threads", String(context.workspace.pool.threadCount)),
         ("color", context.settings.color.rawValue),
         ("precision", String(context.settings.precision)),
         ("pause", context.settings.pause.argumentText),
         ("pager", context.settings.pager.argumentText),
         ("max-memory", MemorySize(bytes: context.workspace.budget.maxBytes).argumentText),
         ("max-work", WorkAmount(multiplyAdds: context.workspace.budget.maxWork).argumentText)]
    }
}
