package dev.wharf.engine.domain;

import dev.wharf.proto.GroupRegistered;
import dev.wharf.proto.PackingIndexSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merge groups of one warehouse that may have orders waiting, in the order they were
 * registered, each with its client. Every released order asks whether its group is known, so that
 * is a map lookup; a group found with no order waiting is dropped, so a build visits only groups
 * that may have work (decision 0024). Mutated only by the PackingIndex entity's event handler.
 */
public final class PackingIndex {
  private final Map<String, GroupRegistered> groups = new LinkedHashMap<>();

  public boolean knows(String groupId) {
    return groups.containsKey(groupId);
  }

  public void apply(GroupRegistered registered) {
    groups.putIfAbsent(registered.getGroupId(), registered);
  }

  public void drop(String groupId) {
    groups.remove(groupId);
  }

  /** The groups of one client, or all of them for an empty client id, oldest first. */
  public List<GroupRegistered> groups(String clientId) {
    return groups.values().stream().filter(g -> clientId.isEmpty() || g.getClientId().equals(clientId)).toList();
  }

  public int size() {
    return groups.size();
  }

  public PackingIndexSnapshot toSnapshot() {
    return PackingIndexSnapshot.newBuilder().addAllGroups(groups.values()).build();
  }

  public static PackingIndex fromSnapshot(PackingIndexSnapshot snapshot) {
    PackingIndex index = new PackingIndex();
    snapshot.getGroupsList().forEach(index::apply);
    return index;
  }
}
