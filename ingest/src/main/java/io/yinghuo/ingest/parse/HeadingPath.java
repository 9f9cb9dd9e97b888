package io.yinghuo.ingest.parse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/** The chain of open headings, e.g. "第一章 总则 > 第二节 定义": a heading closes every heading of its level or deeper. */
final class HeadingPath {

    static final String SEPARATOR = " > ";

    private record Entry(int level, String text) {
    }

    private final Deque<Entry> open = new ArrayDeque<>();

    /** Enters a heading of {@code level} (1 = top) and returns the new path. */
    String enter(int level, String text) {
        while (!open.isEmpty() && open.peekLast().level >= level) {
            open.removeLast();
        }
        open.addLast(new Entry(level, text));
        return current();
    }

    String current() {
        StringBuilder path = new StringBuilder();
        for (Iterator<Entry> it = open.iterator(); it.hasNext(); ) {
            path.append(it.next().text);
            if (it.hasNext()) {
                path.append(SEPARATOR);
            }
        }
        return path.toString();
    }
}
