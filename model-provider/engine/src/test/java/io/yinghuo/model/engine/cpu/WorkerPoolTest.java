package io.yinghuo.model.engine.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    @Test
    void everyTaskRunsExactlyOnceOnEveryLoop() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int tasks : new int[] {1, 2, 3, 7, 100, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
                for (int loop = 0; loop < 20; loop++) {
                    pool.run(tasks, (worker, from, to) -> {
                        assertTrue(worker >= 0 && worker < 3);
                        for (int t = from; t < to; t++) {
                            hits.incrementAndGet(t);
                        }
                    });
                }
                for (int t = 0; t < tasks; t++) {
                    assertEquals(20, hits.get(t), "task " + t + " of " + tasks);
                }
            }
        }
    }

    @Test
    void aFailingTaskIsRethrownAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(64,
                    (worker, from, to) -> {
                        if (from <= 40 && 40 < to) {
                            throw new IllegalStateException("task 40");
                        }
                    }));
            assertEquals("task 40", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.run(10, (worker, from, to) -> {
                for (int t = from; t < to; t++) {
                    hits.incrementAndGet(t);
                }
            });
            for (int t = 0; t < 10; t++) {
                assertEquals(1, hits.get(t));
            }
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.run(4, (w, f, t) -> { }));
    }
}
