/// What can stop a distillation run before it changes anything.
public enum DistillationError: Error, CustomStringConvertible, Equatable {
    /// An option outside what is allowed (`T=0`, `alpha=1.5`, `labeled=5000`).
    case invalidOption(option: String, value: String, allowed: String)
    /// Teacher and student disagree on the number of inputs or classes.
    case incompatiblePair(teacher: String, student: String, reason: String)
    /// A model does not fit the loaded data.
    case dataMismatch(model: String, reason: String)
    /// The teacher has never been trained: its soft targets would teach noise.
    case untrainedTeacher(String)
    /// Ctrl-C stopped the run; no variant was added.
    case interrupted

    public var description: String {
        switch self {
        case let .invalidOption(option, value, allowed):
            return "\(option)=\(value) is not allowed; expected \(allowed)"
        case let .incompatiblePair(teacher, student, reason):
            return "cannot distill teacher \(teacher) into student \(student): \(reason)"
        case let .dataMismatch(model, reason):
            return "\(model) does not fit the loaded data: \(reason)"
        case let .untrainedTeacher(name):
            return "the teacher '\(name)' has not been trained; its soft targets would be noise. Train it first ('model use \(name); train')"
        case .interrupted:
            return "distillation stopped (Ctrl-C); no variant was added"
        }
    }
}
