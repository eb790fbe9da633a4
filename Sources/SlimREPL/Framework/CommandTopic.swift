/// The groups `help` lists commands under, in this order.
public enum CommandTopic: String, CaseIterable, Sendable {
    case data, model, training, compression, inspection, lessons, session

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
