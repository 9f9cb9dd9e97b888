package io.yinghuo.web.documents;

import io.yinghuo.ingest.pipeline.IngestJob;
import io.yinghuo.ingest.pipeline.IngestListener;
import io.yinghuo.ingest.pipeline.IngestProgress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The ingestion jobs the server has started, for status queries and live progress streams. Keeps the latest
 * progress of the most recent {@value #KEPT} jobs (older finished ones are forgotten; their documents are in the
 * catalogue).
 */
public final class IngestJobs implements IngestListener {

    static final int KEPT = 2000;

    private final Map<Long, IngestProgress> latest = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, IngestProgress> eldest) {
            return size() > KEPT && eldest.getValue().stage().isFinal();
        }
    };
    private final List<Consumer<IngestProgress>> subscribers = new CopyOnWriteArrayList<>();

    /** Called by the pipeline on every stage change. */
    @Override
    public void onProgress(IngestProgress progress) {
        synchronized (latest) {
            IngestProgress previous = latest.get(progress.jobId());
            if (previous != null && previous.stage().isFinal()) {
                return;
            }
            latest.put(progress.jobId(), progress);
        }
        for (Consumer<IngestProgress> subscriber : subscribers) {
            try {
                subscriber.accept(progress);
            } catch (RuntimeException e) {
                subscribers.remove(subscriber);
            }
        }
    }

    /** Records a job as submitted (its QUEUED event may have been published before the caller knew its id). */
    void submitted(IngestJob job) {
        onProgress(job.progress());
    }

    public Optional<IngestProgress> get(long jobId) {
        synchronized (latest) {
            return Optional.ofNullable(latest.get(jobId));
        }
    }

    /** All kept jobs, oldest first. */
    public List<IngestProgress> all() {
        synchronized (latest) {
            return new ArrayList<>(latest.values());
        }
    }

    public List<IngestProgress> unfinished() {
        synchronized (latest) {
            return latest.values().stream().filter(p -> !p.stage().isFinal()).toList();
        }
    }

    public void subscribe(Consumer<IngestProgress> subscriber) {
        subscribers.add(subscriber);
    }

    boolean subscribed(Consumer<IngestProgress> subscriber) {
        return subscribers.contains(subscriber);
    }

    public void unsubscribe(Consumer<IngestProgress> subscriber) {
        subscribers.remove(subscriber);
    }

    static List<Long> ids(Collection<IngestProgress> progress) {
        return progress.stream().map(IngestProgress::jobId).toList();
    }
}
