package dev.wharf.engine.domain;

import com.google.protobuf.Message;
import dev.wharf.proto.Line;
import dev.wharf.proto.SkuMapping;
import dev.wharf.proto.SkuMappingRemoved;
import dev.wharf.proto.SkuMappingSet;
import dev.wharf.proto.StoreDefined;
import dev.wharf.proto.StoreSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A marketplace store: its configuration and its platform-SKU to system-SKU mappings. */
public final class StoreState {
  private StoreDefined config; // null until defined
  private final Map<String, List<Line>> mappings = new LinkedHashMap<>();

  public boolean exists() {
    return config != null;
  }

  public StoreDefined config() {
    return config;
  }

  public Map<String, List<Line>> mappings() {
    return mappings;
  }

  public StoreState apply(Message event) {
    if (event instanceof StoreDefined e) {
      config = e;
    } else if (event instanceof SkuMappingSet e) {
      mappings.put(e.getPlatformSku(), List.copyOf(e.getComponentsList()));
    } else if (event instanceof SkuMappingRemoved e) {
      mappings.remove(e.getPlatformSku());
    } else {
      throw new IllegalArgumentException("not a store event: " + event.getClass());
    }
    return this;
  }

  public List<SkuMapping> mappingList() {
    return mappings.entrySet().stream()
        .map(e -> SkuMapping.newBuilder().setPlatformSku(e.getKey()).addAllComponents(e.getValue()).build())
        .toList();
  }

  public StoreSnapshot toSnapshot() {
    StoreSnapshot.Builder s = StoreSnapshot.newBuilder().addAllMappings(mappingList());
    if (config != null) {
      s.setConfig(config);
    }
    return s.build();
  }

  public static StoreState fromSnapshot(StoreSnapshot s) {
    StoreState state = new StoreState();
    state.config = s.hasConfig() ? s.getConfig() : null;
    s.getMappingsList().forEach(m -> state.mappings.put(m.getPlatformSku(), List.copyOf(m.getComponentsList())));
    return state;
  }
}
