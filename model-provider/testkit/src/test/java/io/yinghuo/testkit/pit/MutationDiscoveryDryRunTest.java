package io.yinghuo.testkit.pit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * One launcher execution of one class, tests recorded as they pass, as pitest-junit5-plugin's discovery runs it; the
 * listener is told whether this is a mutation worker's discovery instead of looking for PIT on the call stack.
 */
class MutationDiscoveryDryRunTest {

    static final AtomicInteger bodies = new AtomicInteger();

    @AfterEach
    void reset() {
        bodies.set(0);
    }

    @Test
    void inAMutationWorkersDiscoveryEveryTestIsFoundAndNoneRuns() {
        List<String> passed = discover(Plain.class, true);
        assertEquals(List.of("first()", "second()"), passed.stream().sorted().toList());
        assertEquals(0, bodies.get(), "neither @BeforeAll nor a test body ran");
        assertNull(System.getProperty(MutationDiscoveryDryRun.AUTODETECTION), "cleared before the mutants' tests run");
        assertFalse(MutationDiscoveryDryRun.discovering());
    }

    @Test
    void anywhereElseTheTestsRun() {
        assertEquals(2, discover(Plain.class, false).size());
        assertEquals(3, bodies.get(), "@BeforeAll and both tests ran");
    }

    @Test
    void eachInvocationOfAParameterizedTestIsFoundWithoutRunningIt() {
        List<String> passed = discover(Parameterized.class, true);
        assertEquals(List.of("[1] 1", "[2] 2"), passed.stream().sorted().toList());
        assertEquals(0, bodies.get());
        assertEquals(List.of("[1] 1", "[2] 2"), discover(Parameterized.class, false).stream().sorted().toList());
        assertEquals(2, bodies.get());
    }

    @Test
    void theNextExecutionAfterADryRunDiscoveryRunsForReal() {
        discover(Plain.class, true);
        assertEquals(0, bodies.get());
        assertEquals(2, discover(Plain.class, false).size());
        assertEquals(3, bodies.get());
    }

    /** Runs one class as pitest-junit5-plugin's discovery does; returns the display names of the tests that passed. */
    private static List<String> discover(Class<?> testClass, boolean inMutationWorkerDiscovery) {
        MutationDiscoveryDryRun dryRun = new MutationDiscoveryDryRun(() -> inMutationWorkerDiscovery);
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .enableTestExecutionListenerAutoRegistration(false)
                .addLauncherDiscoveryListeners(dryRun)
                .addLauncherSessionListeners(dryRun)
                .build());
        List<String> passed = new CopyOnWriteArrayList<>();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                            passed.add(id.getDisplayName());
                        }
                    }
                });
        return passed;
    }

    static class Plain {
        @BeforeAll
        static void setUp() {
            bodies.incrementAndGet();
        }

        @Test
        void first() {
            bodies.incrementAndGet();
        }

        @Test
        void second() {
            bodies.incrementAndGet();
        }
    }

    static class Parameterized {
        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void each(int value) {
            bodies.incrementAndGet();
        }
    }
}
