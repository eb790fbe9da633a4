import SlimLab

/// SlimLab's commands, and the names they refer to.
///
/// Adding a command is one new file in `Commands/` and one line in `commands` here; `help`,
/// completion and "did you mean" pick it up from its type. The order within a topic is the
/// order `help` lists them in.
extension CommandRegistry {
    public static var standard: CommandRegistry {
        CommandRegistry(
            commands: [
                // compression
                PruneCommand.self,
                BenchCommand.self,
                // training
                FinetuneCommand.self,
                // session
                HelpCommand.self,
                SetCommand.self,
                HistoryCommand.self,
                ClearCommand.self,
                QuitCommand.self,
                SessionCommand.self,
                // data
                DataCommand.self,
                // models
                ModelCommand.self,
                // training
                TrainCommand.self,
                EvalCommand.self,
                // compression
                QuantizeCommand.self,
                QATCommand.self,
                DistillCommand.self,
                ClusterCommand.self,
                CompressCommand.self,
                // inspection
                PredictCommand.self,
                TraceCommand.self,
                ShowCommand.self,
                DiagnoseCommand.self,
                FormulaCommand.self,
                StepsCommand.self,
                PlotCommand.self,
                // compression
                CompareCommand.self,
                SearchCommand.self,
                // lessons
                LessonCommand.self,
                LessonNextCommand.self,
                LessonBackCommand.self,
                LessonHintCommand.self,
                LessonAnswerCommand.self,
                LessonSkipCommand.self,
            ],
            // Where names of each kind come from, for completion and for checking arguments
            // declared with a `.name` kind. One line per kind.
            names: [
                .variant: { $0.workspace.variants.names },
                .lesson: { _ in LessonLibrary.completionNames() },
                .tensor: { $0.workspace.tensorNames() },
                .dataset: { _ in DatasetCatalog.knownNames },
            ],
            // The model the prompt shows (`slimlab[baseline]> `).
            currentModelName: { $0.workspace.variants.currentName })
    }
}
