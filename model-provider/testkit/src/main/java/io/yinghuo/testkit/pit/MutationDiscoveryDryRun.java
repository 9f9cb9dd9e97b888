package io.yinghuo.testkit.pit;

import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Lets a PIT mutation worker find its tests without running their bodies.
 *
 * <p>pitest-junit5-plugin (1.2.3) finds the test units of a class by <em>executing</em> the class through the JUnit
 * Platform launcher and recording which tests start ({@code JUnit5TestUnitFinder.findTestUnits}). The coverage run
 * needs that execution, but every mutation worker repeats it at start-up, before its first mutant, on the unmutated
 * code, only to learn the tests' ids. A worker starts once per mutated class and again after every mutant that timed
 * out (PIT ends the worker's JVM to stop a hung test); in a module whose test classes each load a model and generate
 * text, one start ran the covering test classes for 20 to 80 s, so each timed-out mutant cost a minute or more.
 *
 * <p>During exactly that discovery (the thread is inside {@code org.pitest.junit5.JUnit5TestUnitFinder} called from
 * {@code org.pitest.mutationtest.execute.MutationTestMinion}; not PIT's coverage run, not the mutants' own test runs,
 * not surefire or an IDE) this listener turns on Jupiter's extension auto-detection for that one launcher execution,
 * and the auto-detected interceptor skips every test body and every {@code @BeforeAll}/{@code @BeforeEach}/
 * {@code @AfterEach}/{@code @AfterAll} method: each test still starts and passes, so PIT records the same ids, and
 * parameterized tests and test factories still produce their invocations. (JUnit's own dry-run mode does not fit:
 * it reports tests as skipped, which the plugin does not record, and produces no parameterized invocations.)
 * Both settings are undone when the launcher session closes, before any mutant's tests run.
 *
 * <p>Registered through {@code META-INF/services} as a {@link LauncherDiscoveryListener}, a
 * {@link LauncherSessionListener} and a Jupiter {@code Extension}, so any module with this kit on its test class path
 * gets it; outside that discovery the interceptor proceeds with every invocation.
 */
public final class MutationDiscoveryDryRun implements LauncherDiscoveryListener, LauncherSessionListener,
        InvocationInterceptor {

    /** Jupiter's configuration parameter that loads {@code Extension} services. */
    public static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    private static final Set<String> DISCOVERY_FRAMES = Set.of("org.pitest.junit5.JUnit5TestUnitFinder",
            "org.pitest.mutationtest.execute.MutationTestMinion");

    /** Set for the one launcher execution that is a mutation worker's discovery; shared by every instance. */
    private static volatile boolean discovering;
    private static volatile boolean propertySetHere;

    private final BooleanSupplier inMutationWorkerDiscovery;

    /** The instance JUnit's service loading creates. */
    public MutationDiscoveryDryRun() {
        this(MutationDiscoveryDryRun::calledFromPitMutationWorkerDiscovery);
    }

    /** For tests: {@code inMutationWorkerDiscovery} replaces the look at the call stack. */
    public MutationDiscoveryDryRun(BooleanSupplier inMutationWorkerDiscovery) {
        this.inMutationWorkerDiscovery = inMutationWorkerDiscovery;
    }

    /** Whether the current launcher execution is a mutation worker's discovery (bodies are skipped). */
    public static boolean discovering() {
        return discovering;
    }

    @Override
    public void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        end(); // never outlives the execution it was set for
        if (!inMutationWorkerDiscovery.getAsBoolean()) {
            return;
        }
        if (System.getProperty(AUTODETECTION) == null) {
            System.setProperty(AUTODETECTION, "true");
            propertySetHere = true;
        }
        discovering = true;
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        end();
    }

    private static void end() {
        discovering = false;
        if (propertySetHere) {
            System.clearProperty(AUTODETECTION);
            propertySetHere = false;
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                    ExtensionContext extensionContext) throws Throwable {
        skipWhileDiscovering(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                            ExtensionContext extensionContext) throws Throwable {
        skipWhileDiscovering(invocation);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
                                     ExtensionContext extensionContext) throws Throwable {
        skipWhileDiscovering(invocation);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                         ExtensionContext extensionContext) throws Throwable {
        skipWhileDiscovering(invocation);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                          ExtensionContext extensionContext) throws Throwable {
        skipWhileDiscovering(invocation);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                         ExtensionContext extensionContext) throws Throwable {
        skipWhileDiscovering(invocation);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                        ExtensionContext extensionContext) throws Throwable {
        skipWhileDiscovering(invocation);
    }

    private static void skipWhileDiscovering(Invocation<Void> invocation) throws Throwable {
        if (discovering) {
            invocation.skip();
        } else {
            invocation.proceed();
        }
    }

    private static boolean calledFromPitMutationWorkerDiscovery() {
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(DISCOVERY_FRAMES::contains).distinct().count()) == DISCOVERY_FRAMES.size();
    }
}
