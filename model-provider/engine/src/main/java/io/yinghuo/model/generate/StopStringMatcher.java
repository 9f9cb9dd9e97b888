package io.yinghuo.model.generate;

import java.util.List;

/**
 * Cuts streamed text at the first stop string. Text is released as soon as it can no longer be part of a stop
 * string: a tail that might still grow into one is held back until the next piece decides it. Because the held tail
 * always starts where a stop string would start and text arrives as whole characters, nothing is ever released or
 * held in the middle of a surrogate pair.
 */
final class StopStringMatcher {

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private String matched;

    StopStringMatcher(List<String> stops) {
        this.stops = List.copyOf(stops);
    }

    /** Appends text; returns what may be shown now (empty when everything is held back or a stop was already hit). */
    String accept(String text) {
        if (matched != null) {
            return "";
        }
        pending.append(text);
        if (stops.isEmpty()) {
            return drain(pending.length());
        }
        int stopAt = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (stopAt < 0 || at < stopAt)) {
                stopAt = at;
                matched = stop;
            }
        }
        if (stopAt >= 0) {
            String shown = pending.substring(0, stopAt);
            pending.setLength(0);
            return shown;
        }
        return drain(pending.length() - longestSuffixStartingAStop());
    }

    /** Ends the stream: whatever is held back can no longer become a stop string and is released. */
    String finish() {
        return matched != null ? "" : drain(pending.length());
    }

    /** The stop string that ended the text, or null. */
    String matched() {
        return matched;
    }

    private int longestSuffixStartingAStop() {
        int longest = 0;
        int length = pending.length();
        for (String stop : stops) {
            for (int n = Math.min(stop.length() - 1, length); n > longest; n--) {
                if (regionMatches(length - n, stop, n)) {
                    longest = n;
                    break;
                }
            }
        }
        return longest;
    }

    private boolean regionMatches(int from, String stop, int n) {
        for (int i = 0; i < n; i++) {
            if (pending.charAt(from + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String drain(int count) {
        String shown = pending.substring(0, count);
        pending.delete(0, count);
        return shown;
    }
}
