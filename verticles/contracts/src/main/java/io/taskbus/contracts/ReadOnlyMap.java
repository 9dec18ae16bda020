package io.taskbus.contracts;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An object of {@link Event#view()}: filled while parsing, then refusing every change. A
 * LinkedHashMap, so that a JsonObject's copy of it (which keeps the order only of one) reads in the
 * order the event was written.
 */
final class ReadOnlyMap extends LinkedHashMap<String, Object> {

  private static final long serialVersionUID = 1L;

  private boolean frozen;

  void fill(String key, Object value) {
    super.put(key, value);
  }

  void freeze() {
    frozen = true;
  }

  private UnsupportedOperationException refused() {
    return new UnsupportedOperationException("an event is read-only; copy() it to change it");
  }

  private void check() {
    if (frozen) {
      throw refused();
    }
  }

  @Override
  public Object put(String key, Object value) {
    check();
    return super.put(key, value);
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    check();
    super.putAll(m);
  }

  @Override
  public Object remove(Object key) {
    check();
    return super.remove(key);
  }

  @Override
  public boolean remove(Object key, Object value) {
    check();
    return super.remove(key, value);
  }

  @Override
  public void clear() {
    check();
    super.clear();
  }

  @Override
  public Object putIfAbsent(String key, Object value) {
    check();
    return super.putIfAbsent(key, value);
  }

  @Override
  public boolean replace(String key, Object oldValue, Object newValue) {
    check();
    return super.replace(key, oldValue, newValue);
  }

  @Override
  public Object replace(String key, Object value) {
    check();
    return super.replace(key, value);
  }

  @Override
  public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
    check();
    super.replaceAll(function);
  }

  @Override
  public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
    check();
    return super.computeIfAbsent(key, mappingFunction);
  }

  @Override
  public Object computeIfPresent(
      String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
    check();
    return super.computeIfPresent(key, remappingFunction);
  }

  @Override
  public Object compute(
      String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
    check();
    return super.compute(key, remappingFunction);
  }

  @Override
  public Object merge(
      String key, Object value, BiFunction<? super Object, ? super Object, ?> remappingFunction) {
    check();
    return super.merge(key, value, remappingFunction);
  }

  @Override
  public Set<String> keySet() {
    return Collections.unmodifiableSet(super.keySet());
  }

  @Override
  public Collection<Object> values() {
    return Collections.unmodifiableCollection(super.values());
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    // through an unmodifiable map: its entry set refuses setValue on the entries too
    Map<String, Object> entries =
        new AbstractMap<>() {
          @Override
          public Set<Map.Entry<String, Object>> entrySet() {
            return ReadOnlyMap.super.entrySet();
          }
        };
    return Collections.unmodifiableMap(entries).entrySet();
  }
}
