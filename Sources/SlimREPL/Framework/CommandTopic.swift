/// The groups `help` lists commands under, in this order.
public enum CommandTopic: String, CaseIterable, Sendable {
    case data, model, training, compression, inspection, lessons, session

    /// The topic a word names: its own name or its heading in any case (`models`, `Models`).
    public init?(word: String) {
        let lowered = word.lowercased()
        guard let topic = Self.allCases.first(where: { $0.rawValue == lowered || $0.title.lowercased() == lowered }) else {
            return nil
        }
        self = topic
    }

    /// The heading `help` prints above the topic's commands.
    public var title: String {
        switch self {
        case .data: "Data"
        case .model: "Models"
        case .training: "Training"
        case .compression: "Compression"
        case .inspection: "Inspection"
        case .lessons: "Lessons"
        case .session: "Session"
        }
    }
}
