package io.yinghuo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code yinghuo} command line: {@code java -jar webapp/target/yinghuo.jar <command> --help}. */
@Command(name = "yinghuo",
        mixinStandardHelpOptions = true,
        version = "yinghuo 0.1.0",
        description = "Local Chinese LLaMA-2 (GPTQ) inference and question answering over your documents.",
        subcommands = {CommandLine.HelpCommand.class, SynthModelCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
