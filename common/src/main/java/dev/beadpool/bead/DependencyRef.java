package dev.beadpool.bead;

/** One entry of bd's {@code --deps}: {@code id} (a {@code blocks} edge) or {@code type:id}. */
public record DependencyRef(String type, String target) {
  public static DependencyRef parse(String ref) {
    int colon = ref.indexOf(':');
    return colon > 0
        ? new DependencyRef(ref.substring(0, colon), ref.substring(colon + 1))
        : new DependencyRef(DependencyType.BLOCKS, ref);
  }
}
