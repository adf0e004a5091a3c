package io.github.litellmcache.completion;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A request's provider parameters: an unmodifiable map, in the order they were first set, over the
 * array of names and values its {@link Builder} filled, taken over without a copy. Requests are built on every call
 * and their parameters are what the key generator remembers keys by, so a map of plain values
 * computes its hash code once, and two maps whose parameters were set in the same order are
 * compared pair by pair rather than by a lookup per parameter.
 */
final class Params extends AbstractMap<String, Object> {

    /** Each parameter's name, then its value. */
    private final Object[] slots;

    private final int size;

    /** Whether the values are plain, and so never change: the hash code is then kept. */
    private final boolean plain;

    private int hash;

    private Params(Object[] slots, int size, boolean plain) {
        this.slots = slots;
        this.size = size;
        this.plain = plain;
    }

    @Override
    public int size() {
        return this.size;
    }

    @Override
    public @Nullable Object get(Object name) {
        int index = indexOf(this.slots, this.size, name);
        return (index >= 0) ? this.slots[index + 1] : null;
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(this.slots, this.size, name) >= 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < 2 * this.size; i += 2) {
            action.accept((String) this.slots[i], this.slots[i + 1]);
        }
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {

                    private int next;

                    @Override
                    public boolean hasNext() {
                        return this.next < Params.this.size;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (this.next >= Params.this.size) {
                            throw new NoSuchElementException();
                        }
                        int index = 2 * this.next++;
                        return Map.entry((String) Params.this.slots[index], Params.this.slots[index + 1]);
                    }
                };
            }

            @Override
            public int size() {
                return Params.this.size;
            }
        };
    }

    @Override
    public int hashCode() {
        int hash = this.hash;
        if (hash == 0) {
            for (int i = 0; i < 2 * this.size; i += 2) {
                hash += this.slots[i].hashCode() ^ this.slots[i + 1].hashCode();
            }
            if (this.plain) {
                this.hash = hash;
            }
        }
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        if (!(other instanceof Params that) || that.size != this.size) {
            return super.equals(other);
        }
        for (int i = 0; i < 2 * this.size; i += 2) {
            if (!this.slots[i].equals(that.slots[i])) {
                return super.equals(other);
            }
            if (!sameValue(this.slots[i + 1], that.slots[i + 1])) {
                return false;
            }
        }
        return true;
    }

    /** Whether two values are equal; lists of messages or items element by element, without an iterator. */
    private static boolean sameValue(Object value, Object other) {
        if (value == other) {
            return true;
        }
        if (value instanceof List<?> list && other instanceof List<?> those && list instanceof RandomAccess) {
            int size = list.size();
            if (those.size() != size || !(those instanceof RandomAccess)) {
                return size == those.size() && list.equals(those);
            }
            for (int i = 0; i < size; i++) {
                if (!Objects.equals(list.get(i), those.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return value.equals(other);
    }

    /** The slot of {@code name} in {@code slots}, or -1. */
    private static int indexOf(Object[] slots, int size, Object name) {
        for (int i = 0; i < 2 * size; i += 2) {
            if (slots[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Collects parameters; what it {@linkplain #build() built} is copied before its next change. */
    static final class Builder {

        /** Room for the parameters of a typical request without growing. */
        private static final int INITIAL_CAPACITY = 8;

        /** Up to this many parameters a name is found by a scan; beyond, through {@link #index}. */
        private static final int SCANNED = 16;

        private Object[] slots = new Object[2 * INITIAL_CAPACITY];
        private int size;

        /** Whether the slots belong to a built map, so that they are copied before a change. */
        private boolean handedOver;

        /**
         * The slot of each name, made once there are more than {@link #SCANNED} parameters, so that a
         * request of very many (a body of unknown fields) is built in linear time.
         */
        private @Nullable Map<Object, Integer> index;

        @Nullable
        Object get(String name) {
            int index = slotOf(name);
            return (index >= 0) ? this.slots[index + 1] : null;
        }

        /** Sets {@code name} to {@code value}, where it was first set; null removes it. */
        void put(String name, @Nullable Object value) {
            int index = slotOf(name);
            if (index < 0 && value == null) {
                return;
            }
            if (this.handedOver || 2 * this.size == this.slots.length) {
                int length = (2 * this.size == this.slots.length) ? 2 * this.slots.length : this.slots.length;
                this.slots = Arrays.copyOf(this.slots, length);
                this.handedOver = false;
            }
            if (index < 0) {
                if (this.index != null) {
                    this.index.put(name, 2 * this.size);
                }
                this.slots[2 * this.size] = name;
                this.slots[2 * this.size++ + 1] = value;
            } else if (value != null) {
                this.slots[index + 1] = value;
            } else {
                this.index = null;
                this.size--;
                System.arraycopy(this.slots, index + 2, this.slots, index, 2 * this.size - index);
                this.slots[2 * this.size] = null;
                this.slots[2 * this.size + 1] = null;
            }
        }

        private int slotOf(String name) {
            if (this.size <= SCANNED) {
                return indexOf(this.slots, this.size, name);
            }
            if (this.index == null) {
                this.index = new HashMap<>(4 * this.size);
                for (int i = 0; i < 2 * this.size; i += 2) {
                    this.index.put(this.slots[i], i);
                }
            }
            return this.index.getOrDefault(name, -1);
        }

        /** The parameters, without a copy: this builder copies them before its next change. */
        Params build(boolean plain) {
            this.handedOver = true;
            return new Params(this.slots, this.size, plain);
        }
    }
}
