package org.eef4j.engine.tokenizer;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's str methods for chat templates. Templates are written for Jinja2, where a string is a Python str, and call
 * {@code content.startswith(...)}, {@code .strip('\n')}, {@code .split(sep)}; jinjava would look these up as Java
 * methods and fail, or (split) find one with other semantics (a regex, trailing empty parts dropped). This resolver
 * answers those calls on strings with Python's semantics and leaves everything else to jinjava's own resolvers.
 */
final class PythonStrings extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || !(method instanceof String name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = switch (name) {
            case "startswith" -> args.length == 1 ? anyMatch(args[0], s::startsWith) : null;
            case "endswith" -> args.length == 1 ? anyMatch(args[0], s::endsWith) : null;
            case "strip" -> args.length <= 1 ? strip(s, arg(args, 0), true, true) : null;
            case "lstrip" -> args.length <= 1 ? strip(s, arg(args, 0), true, false) : null;
            case "rstrip" -> args.length <= 1 ? strip(s, arg(args, 0), false, true) : null;
            case "split" -> args.length <= 2 ? split(s, arg(args, 0), args.length > 1 ? toInt(args[1]) : -1) : null;
            case "upper" -> args.length == 0 ? s.toUpperCase(Locale.ROOT) : null;
            case "lower" -> args.length == 0 ? s.toLowerCase(Locale.ROOT) : null;
            case "title" -> args.length == 0 ? title(s) : null;
            case "capitalize" -> args.length == 0 ? capitalize(s) : null;
            case "replace" -> args.length == 2 ? s.replace(String.valueOf(args[0]), String.valueOf(args[1])) : null;
            case "find" -> args.length == 1 ? (long) s.indexOf(String.valueOf(args[0])) : null;
            case "count" -> args.length == 1 ? count(s, String.valueOf(args[0])) : null;
            case "isdigit" -> args.length == 0 ? !s.isEmpty() && s.chars().allMatch(Character::isDigit) : null;
            default -> null;
        };
        if (result != null) {
            context.setPropertyResolved(true);
        }
        return result;
    }

    private static String arg(Object[] args, int i) {
        return i < args.length && args[i] != null ? String.valueOf(args[i]) : null;
    }

    private static int toInt(Object o) {
        return o instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(o));
    }

    private static boolean anyMatch(Object prefixes, java.util.function.Predicate<String> test) {
        if (prefixes instanceof Iterable<?> many) {
            for (Object p : many) {
                if (test.test(String.valueOf(p))) {
                    return true;
                }
            }
            return false;
        }
        return test.test(String.valueOf(prefixes));
    }

    /** Python's notion of whitespace (str.isspace), wider than Java's Character.isWhitespace (it takes NBSP). */
    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || (c >= 0x1C && c <= 0x1F) || c == 0x85
                || ControlCharacters.isHiddenSpace(c);
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && (chars == null ? isSpace(s.charAt(start)) : chars.indexOf(s.charAt(start)) >= 0)) {
            start++;
        }
        while (right && end > start && (chars == null ? isSpace(s.charAt(end - 1)) : chars.indexOf(s.charAt(end - 1)) >= 0)) {
            end--;
        }
        return s.substring(start, end);
    }

    static List<String> split(String s, String sep, int maxSplit) {
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (true) {
                while (i < s.length() && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    break;
                }
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(strip(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < s.length() && !isSpace(s.charAt(j))) {
                    j++;
                }
                parts.add(s.substring(i, j));
                i = j;
            }
            return parts;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        int at;
        while ((maxSplit < 0 || parts.size() < maxSplit) && (at = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            prevCased = Character.isLetter(c);
        }
        return sb.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toTitleCase(s.charAt(0)) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
