package dev.beadpool.graph;

/**
 * Bead id to node index: open addressing with linear probing over one flat {@code int[]} of (hash,
 * index + 1) pairs, so a lookup reads one cache line of the table and the id itself, instead of a
 * chain of boxed objects. Ids are never removed.
 */
final class IdIndex {
  private int[] table;
  private int size;

  IdIndex(int expected) {
    int slots = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    table = new int[slots * 2];
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** The index of {@code id}, or -1; {@code ids} resolves an index to its id. */
  int get(String id, String[] ids) {
    int h = spread(id.hashCode());
    int mask = (table.length >> 1) - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int value = table[2 * i + 1];
      if (value == 0) {
        return -1;
      }
      if (table[2 * i] == h) {
        String key = ids[value - 1];
        if (key == id || key.equals(id)) {
          return value - 1;
        }
      }
    }
  }

  void put(String id, int index) {
    if ((size + 1) * 4 > table.length) {
      int[] old = table;
      table = new int[old.length * 2];
      for (int i = 0; i < old.length; i += 2) {
        if (old[i + 1] != 0) {
          insert(old[i], old[i + 1]);
        }
      }
    }
    insert(spread(id.hashCode()), index + 1);
    size++;
  }

  private void insert(int h, int value) {
    int mask = (table.length >> 1) - 1;
    int i = h & mask;
    while (table[2 * i + 1] != 0) {
      i = (i + 1) & mask;
    }
    table[2 * i] = h;
    table[2 * i + 1] = value;
  }
}
