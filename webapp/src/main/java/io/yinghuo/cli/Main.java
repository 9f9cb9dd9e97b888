package io.yinghuo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code yinghuo} command line: {@code java -jar webapp/target/yinghuo.jar <command> --help}. */
@Command(name = "yinghuo",
        mixinStandardHelpOptions = true,
        version = "yinghuo 0.1.0",
        description = "Local Chinese LLaMA-2 (GPTQ) inference and question answering over your documents.",
        subcommands = {
                CommandLine.HelpCommand.class,
                TokenizeCommand.class,
                SynthModelCommand.class,
                PerplexityCommand.class,
                BenchCommand.class,
                GenerateCommand.class,
                ChatCommand.class,
                IngestCommand.class,
                SearchCommand.class,
                EvalRetrievalCommand.class,
                ServeCommand.class,
                BenchIngestCommand.class,
                AskCommand.class,
                EvalQaCommand.class,
                SolrInitCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Commands that run the model and are several times faster with the Vector API. */
    private static final java.util.Set<String> COMPUTE_COMMANDS =
            java.util.Set.of("generate", "chat", "perplexity", "bench", "serve", "ask", "eval-qa");

    public static void main(String[] args) {
        VectorModuleRelauncher.exitWithParent();
        StartupNoise.quiet();
        if (runsTheModel(args)) {
            java.util.Optional<Integer> code = VectorModuleRelauncher.relaunchIfUseful(args);
            if (code.isPresent()) {
                System.exit(code.get());
            }
        }
        System.exit(run(args));
    }

    /** Whether the command line names a command that runs the model (the ones worth a relaunch with the Vector API). */
    static boolean runsTheModel(String... args) {
        return args.length > 0 && COMPUTE_COMMANDS.contains(args[0]);
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Weights and KV cache live in the Java heap: say how to give it more instead of dumping a stack trace.
            System.err.println("yinghuo: out of memory (" + e.getMessage() + "); give Java more heap, e.g. "
                    + "java -Xmx16g -jar yinghuo.jar ..., or lower --ctx");
            return 1;
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
