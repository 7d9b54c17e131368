import ArgumentParser

/// The `mmmbench` command line: thin commands that build a configuration and call into the libraries.
@main
struct Mmmbench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmmbench",
        abstract: "Collect trustworthy performance baselines of an MMM trainer service and check its deployments.",
        discussion: """
            Start with `mmmbench demo`: it runs a reference trainer and a short collection on this machine and writes \
            the reports to ./mmmbench-demo/.
            """,
        subcommands: [
            DemoCommand.self, CollectCommand.self, ReportCommand.self, StatusCommand.self, TrainerCommand.self, CertsCommand.self, AgentCommand.self, CoordinatorCommand.self, TestSuiteCommand.self,
            CompareCommand.self, CanaryCommand.self,
            CheckCommandLineCommand.self, BackupCommand.self,
        ]
    )
}
