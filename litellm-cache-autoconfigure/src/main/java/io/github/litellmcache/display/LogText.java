package io.github.litellmcache.display;

import java.util.regex.Pattern;

/** Text a caller chose, such as a model name, made fit for one log line. */
public final class LogText {

    /** Control characters (C0 and C1, among them NEL) and the Unicode line and paragraph separators. */
    private static final Pattern BREAKS = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

    private LogText() {}

    /** {@code text} with every character that could end a log line replaced by {@code _}, so it forges none. */
    public static String printable(String text) {
        return BREAKS.matcher(text).replaceAll("_");
    }
}
