package dev.jcni.spec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.net.InetAddresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON as plain Java trees on jackson-core streaming (no databind on the hot path): objects are
 * insertion-ordered {@code Map<String,Object>}, arrays {@code List<Object>}, strings, {@code
 * Long}/{@code BigInteger} for integers, {@code Double} for other numbers, {@code Boolean} and
 * null.
 *
 * <p>Key lookup and binding are case-insensitive with an exact match winning, like Go's
 * encoding/json, because real runtimes send keys such as {@code HostPort} and {@code CNIVersion}.
 * When several keys differ from the wanted one only in case, the last one wins (Go assigns them in
 * document order). Duplicate keys in a document keep the position of the first occurrence and the
 * value of the last, as Go does.
 *
 * <p>Trees returned by {@link #parse} are mutable {@code LinkedHashMap}/{@code ArrayList}s owned by
 * the caller.
 */
public final class Json {
  private Json() {}

  /** Lazily built: the factory is thread-safe and costs a little to create. */
  private static final class Factory {
    static final JsonFactory INSTANCE =
        JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            // characters outside the BMP as raw UTF-8, as Go writes them (not as two escaped
            // surrogates)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
  }

  // ---------------------------------------------------------------------------------------------------- parsing

  /** Parses any JSON value. Malformed input: CniException code 6. */
  public static Object parse(byte[] json) {
    if (json == null) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "invalid JSON: no input");
    }
    try (JsonParser p = Factory.INSTANCE.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new CniException(ErrorCodes.DECODING_FAILURE, "invalid JSON: empty input");
      }
      Object v = read(p, t);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new CniException(
            ErrorCodes.DECODING_FAILURE,
            "invalid JSON: unexpected data after the top-level value" + where(p.currentLocation()));
      }
      return v;
    } catch (JsonProcessingException e) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE,
          "invalid JSON: " + e.getOriginalMessage() + where(e.getLocation()),
          null,
          e);
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "invalid JSON: " + e.getMessage(), null, e);
    }
  }

  /** Parses a JSON string (convenience for tests and tools). */
  public static Object parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses a JSON object. Malformed input or a non-object: CniException code 6. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(byte[] json) {
    Object v = parse(json);
    if (!(v instanceof Map)) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "invalid JSON: expected an object, got " + describe(v));
    }
    return (Map<String, Object>) v;
  }

  public static Map<String, Object> parseObject(String json) {
    return parseObject(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String where(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 0) {
      return "";
    }
    return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private static Object read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            m.put(name, read(p, p.nextToken()));
          }
          return m;
        }
      case START_ARRAY:
        {
          List<Object> l = new ArrayList<>();
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            l.add(read(p, e));
          }
          return l;
        }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          return p.getBigIntegerValue();
        }
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new CniException(
            ErrorCodes.DECODING_FAILURE,
            "invalid JSON: unexpected token " + t + where(p.currentLocation()));
    }
  }

  // ---------------------------------------------------------------------------------------------------- writing

  /**
   * Serializes a tree (as produced by {@link #parse}, or built from Maps/Lists/scalars/records)
   * compactly. The text is what Go's json.Marshal writes for the same tree and key order. Records
   * become objects keyed by component name (or {@link JsonName}) with null components omitted; a
   * {@link Result} is written in its wire form at its own version ({@link ResultCodec}); {@link
   * CniVersion}, {@link InetAddress} and enums are written as strings; arrays and collections as
   * arrays.
   */
  public static byte[] write(Object tree) {
    return write(tree, false);
  }

  public static String writeString(Object tree) {
    return new String(write(tree), StandardCharsets.UTF_8);
  }

  /**
   * Like {@link #write} but indented as Go's {@code json.MarshalIndent(v, "", " ")}, which is how
   * libcni's skel prints results and errors ({@code types.Result.Print}); no trailing newline.
   */
  public static byte[] writeIndented(Object tree) {
    return write(tree, true);
  }

  /*
   * Text is Go's encoding/json text for the same tree and key order: strings escaped as Go does (including its
   * HTML-safe \u003c, \u003e, \u0026), floats in Go's shortest form, integers as written.
   */
  private static byte[] write(Object tree, boolean indent) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Factory.INSTANCE.createGenerator(out)) {
      g.setCharacterEscapes(GoStyle.Escapes.INSTANCE);
      if (indent) {
        g.setPrettyPrinter(new GoStyle.Indenter());
      }
      writeValue(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String) {
      g.writeString((String) v);
    } else if (v instanceof Map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Collection) {
      g.writeStartArray();
      for (Object e : (Collection<?>) v) {
        writeValue(g, e);
      }
      g.writeEndArray();
    } else if (v instanceof Boolean) {
      g.writeBoolean((Boolean) v);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON cannot represent " + d);
      }
      g.writeNumber(GoStyle.formatDouble(d));
    } else if (v instanceof BigInteger) {
      g.writeNumber((BigInteger) v);
    } else if (v instanceof BigDecimal) {
      g.writeNumber((BigDecimal) v);
    } else if (v instanceof CharSequence || v instanceof Character) {
      g.writeString(v.toString());
    } else if (v instanceof Enum) {
      g.writeString(((Enum<?>) v).name());
    } else if (v instanceof CniVersion) {
      g.writeString(v.toString());
    } else if (v instanceof Result) {
      Result r = (Result) v;
      writeValue(g, ResultCodec.encode(r, r.cniVersion()));
    } else if (v instanceof InetAddress) {
      g.writeString(InetAddresses.format((InetAddress) v));
    } else if (v instanceof JsonValue) {
      writeValue(g, ((JsonValue) v).toJsonTree());
    } else if (v.getClass().isRecord()) {
      RecordMeta meta = RecordMeta.of(v.getClass());
      g.writeStartObject();
      for (int i = 0; i < meta.names.length; i++) {
        Object c;
        try {
          c = meta.accessors[i].invoke(v);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException(
              "cannot read " + meta.names[i] + " of " + v.getClass().getName(), e);
        }
        if (c != null) {
          g.writeFieldName(new SerializedString(meta.keys[i]));
          writeValue(g, c);
        }
      }
      g.writeEndObject();
    } else if (v.getClass().isArray()) {
      g.writeStartArray();
      int n = Array.getLength(v);
      for (int i = 0; i < n; i++) {
        writeValue(g, Array.get(v, i));
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
    }
  }

  /**
   * Implemented by types that know their own JSON form (for example {@code Cidr}, written as its
   * text).
   */
  public interface JsonValue {
    /** A tree that {@link Json#write} can serialize. */
    Object toJsonTree();
  }

  // ---------------------------------------------------------------------------------------------------- lookup

  /**
   * The value under {@code key}: exact match first, then a case-insensitive match (the last such
   * key, as Go assigns in document order); null when absent.
   */
  public static Object get(Map<String, ?> object, String key) {
    if (object == null) {
      return null;
    }
    Object v = object.get(key);
    if (v != null || object.containsKey(key)) {
      return v;
    }
    String found = findKey(object, key);
    return found == null ? null : object.get(found);
  }

  /** The key actually present for {@code key} (exact, else case-insensitive), or null. */
  public static String findKey(Map<String, ?> object, String key) {
    if (object == null) {
      return null;
    }
    if (object.containsKey(key)) {
      return key;
    }
    String found = null;
    for (String k : object.keySet()) {
      if (k != null && k.length() == key.length() && k.equalsIgnoreCase(key)) {
        found = k;
      }
    }
    return found;
  }

  /** True when {@link #get} would find the key (even with a null value). */
  public static boolean has(Map<String, ?> object, String key) {
    return findKey(object, key) != null;
  }

  // ---------------------------------------------------------------------------------------------------- binding

  /**
   * Binds a tree to {@code type}: records (components matched to keys case-insensitively, exact
   * wins; missing components null/0/false), {@code List}, {@code Map<String,?>}, String, boxed and
   * primitive numbers, booleans, enums, {@code Object} (the tree itself). A type mismatch:
   * CniException code 6 naming the key path.
   *
   * <p>Also: arrays, {@code Set}, {@code BigInteger}/{@code BigDecimal}, and any class with a
   * public static {@code parse(String)} factory (bound from a JSON string, e.g. {@code Cidr}), and
   * {@code InetAddress} (and its IPv4/IPv6 subclasses) from an IP literal, never looked up (a bad
   * one is code 7). Record components may carry {@link JsonName} for keys that are not Java
   * identifiers. Bound lists and maps are unmodifiable.
   */
  @SuppressWarnings("unchecked")
  public static <T> T bind(Object tree, Class<T> type) {
    return (T) bindValue(tree, type, "");
  }

  /**
   * Like {@link #bind(Object, Class)} for a generic type, e.g. a {@code ParameterizedType} of a
   * List.
   */
  public static Object bind(Object tree, Type type) {
    return bindValue(tree, type, "");
  }

  /** {@link #bind(Object, Type)} reporting errors under {@code path}. */
  public static Object bind(Object tree, Type type, String path) {
    return bindValue(tree, type, path == null ? "" : path);
  }

  /**
   * Binds {@code tree} reporting errors under {@code path} (e.g. {@code
   * "runtimeConfig.portMappings"}), for callers binding a sub-tree of a larger document.
   */
  @SuppressWarnings("unchecked")
  public static <T> T bind(Object tree, Class<T> type, String path) {
    return (T) bindValue(tree, type, path == null ? "" : path);
  }

  private static Object bindValue(Object v, Type type, String path) {
    if (type instanceof Class) {
      return bindClass(v, (Class<?>) type, path);
    }
    if (type instanceof ParameterizedType) {
      ParameterizedType pt = (ParameterizedType) type;
      Class<?> raw = (Class<?>) pt.getRawType();
      Type[] args = pt.getActualTypeArguments();
      if (v == null) {
        return null;
      }
      if (raw == List.class
          || raw == Collection.class
          || raw == Iterable.class
          || raw == Set.class) {
        if (!(v instanceof List)) {
          throw mismatch(path, "an array", v);
        }
        List<?> in = (List<?>) v;
        Collection<Object> out =
            raw == Set.class ? new LinkedHashSet<>() : new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          out.add(bindValue(in.get(i), args[0], path + "[" + i + "]"));
        }
        return raw == Set.class
            ? Collections.unmodifiableSet((Set<Object>) out)
            : Collections.unmodifiableList((List<Object>) out);
      }
      if (raw == Map.class) {
        if (!(v instanceof Map)) {
          throw mismatch(path, "an object", v);
        }
        if (args[0] != String.class && args[0] != Object.class) {
          throw new IllegalArgumentException("cannot bind JSON object keys to " + args[0]);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          String k = String.valueOf(e.getKey());
          out.put(k, bindValue(e.getValue(), args[1], child(path, k)));
        }
        return Collections.unmodifiableMap(out);
      }
      return bindClass(v, raw, path);
    }
    if (type instanceof WildcardType) {
      Type[] upper = ((WildcardType) type).getUpperBounds();
      return bindValue(v, upper.length == 0 ? Object.class : upper[0], path);
    }
    if (type instanceof TypeVariable) {
      Type[] bounds = ((TypeVariable<?>) type).getBounds();
      return bindValue(v, bounds.length == 0 ? Object.class : bounds[0], path);
    }
    if (type instanceof GenericArrayType) {
      if (v == null) {
        return null;
      }
      if (!(v instanceof List)) {
        throw mismatch(path, "an array", v);
      }
      Type ct = ((GenericArrayType) type).getGenericComponentType();
      Class<?> rawCt =
          ct instanceof ParameterizedType
              ? (Class<?>) ((ParameterizedType) ct).getRawType()
              : Object.class;
      List<?> in = (List<?>) v;
      Object arr = Array.newInstance(rawCt, in.size());
      for (int i = 0; i < in.size(); i++) {
        Array.set(arr, i, bindValue(in.get(i), ct, path + "[" + i + "]"));
      }
      return arr;
    }
    throw new IllegalArgumentException("cannot bind JSON to " + type);
  }

  private static Object bindClass(Object v, Class<?> c, String path) {
    if (c == Object.class) {
      return v;
    }
    if (v == null) {
      return c.isPrimitive() ? primitiveDefault(c) : null;
    }
    if (c == String.class) {
      if (v instanceof String) {
        return v;
      }
      throw mismatch(path, "a string", v);
    }
    if (c == Boolean.class || c == boolean.class) {
      if (v instanceof Boolean) {
        return v;
      }
      throw mismatch(path, "true or false", v);
    }
    if (c == Integer.class || c == int.class) {
      return (int) integral(v, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (c == Long.class || c == long.class) {
      return integral(v, path, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (c == Short.class || c == short.class) {
      return (short) integral(v, path, Short.MIN_VALUE, Short.MAX_VALUE);
    }
    if (c == Byte.class || c == byte.class) {
      return (byte) integral(v, path, Byte.MIN_VALUE, Byte.MAX_VALUE);
    }
    if (c == Double.class
        || c == double.class
        || c == Float.class
        || c == float.class
        || c == Number.class) {
      if (!(v instanceof Number)) {
        throw mismatch(path, "a number", v);
      }
      if (c == Number.class) {
        return v;
      }
      double d = ((Number) v).doubleValue();
      return c == Float.class || c == float.class ? (Object) (float) d : (Object) d;
    }
    if (c == BigInteger.class) {
      if (v instanceof BigInteger) {
        return v;
      }
      if (v instanceof Long) {
        return BigInteger.valueOf((Long) v);
      }
      if (v instanceof Double && isIntegral((Double) v)) {
        return new BigDecimal((Double) v).toBigIntegerExact();
      }
      throw mismatch(path, "an integer", v);
    }
    if (c == BigDecimal.class) {
      if (v instanceof BigInteger) {
        return new BigDecimal((BigInteger) v);
      }
      if (v instanceof Long) {
        return BigDecimal.valueOf((Long) v);
      }
      if (v instanceof Double) {
        return BigDecimal.valueOf((Double) v);
      }
      throw mismatch(path, "a number", v);
    }
    if (c == Map.class) {
      if (v instanceof Map) {
        return v;
      }
      throw mismatch(path, "an object", v);
    }
    if (c == List.class || c == Collection.class || c == Iterable.class) {
      if (v instanceof List) {
        return v;
      }
      throw mismatch(path, "an array", v);
    }
    if (c.isEnum()) {
      if (v instanceof String) {
        for (Object constant : c.getEnumConstants()) {
          if (((Enum<?>) constant).name().equalsIgnoreCase((String) v)) {
            return constant;
          }
        }
        throw new CniException(
            ErrorCodes.DECODING_FAILURE,
            label(path)
                + "invalid value \""
                + v
                + "\", expected one of "
                + java.util.Arrays.toString(c.getEnumConstants()));
      }
      throw mismatch(path, "a string", v);
    }
    if (c.isRecord()) {
      if (!(v instanceof Map)) {
        throw mismatch(path, "an object", v);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      RecordMeta meta = RecordMeta.of(c);
      Object[] values = new Object[meta.names.length];
      for (int i = 0; i < values.length; i++) {
        String key = meta.keys[i];
        String actual = findKey(m, key);
        Object raw = actual == null ? null : m.get(actual);
        values[i] = bindValue(raw, meta.types[i], child(path, actual == null ? key : actual));
      }
      try {
        return meta.constructor.newInstance(values);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof CniException) {
          throw (CniException) cause;
        }
        throw new CniException(
            ErrorCodes.DECODING_FAILURE,
            label(path) + "invalid value: " + (cause == null ? e : cause.getMessage()),
            null,
            cause);
      } catch (InstantiationException | IllegalAccessException e) {
        throw new IllegalStateException("cannot construct " + c.getName(), e);
      }
    }
    if (c.isArray()) {
      if (!(v instanceof List)) {
        throw mismatch(path, "an array", v);
      }
      List<?> in = (List<?>) v;
      Object arr = Array.newInstance(c.getComponentType(), in.size());
      for (int i = 0; i < in.size(); i++) {
        Array.set(arr, i, bindValue(in.get(i), c.getComponentType(), path + "[" + i + "]"));
      }
      return arr;
    }
    if (c.isInstance(v)) {
      return v;
    }
    if (InetAddress.class.isAssignableFrom(c)) {
      // literals only: never a name lookup
      if (!(v instanceof String)) {
        throw mismatch(path, "a string", v);
      }
      byte[] b = InetAddresses.parseBytes((String) v);
      InetAddress a = b == null ? null : InetAddresses.fromBytes(b);
      if (a == null || !c.isInstance(a)) {
        throw new CniException(
            ErrorCodes.INVALID_NETWORK_CONFIG,
            label(path)
                + "invalid "
                + (c == Inet4Address.class ? "IPv4 " : c == Inet6Address.class ? "IPv6 " : "IP ")
                + "address: "
                + v);
      }
      return a;
    }
    Method parse = parseMethod(c);
    if (parse != null) {
      if (!(v instanceof String)) {
        throw mismatch(path, "a string", v);
      }
      try {
        return parse.invoke(null, v);
      } catch (InvocationTargetException e) {
        // keep the factory's own code (e.g. 7 for a bad CIDR in a config) and add the key path
        Throwable cause = e.getCause();
        if (cause instanceof CniException) {
          CniException ce = (CniException) cause;
          throw new CniException(ce.code(), label(path) + ce.msg(), ce.details(), ce);
        }
        String why = cause == null ? String.valueOf(e) : cause.getMessage();
        throw new CniException(ErrorCodes.DECODING_FAILURE, label(path) + why, null, cause);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot call " + parse, e);
      }
    }
    throw new IllegalArgumentException("cannot bind JSON to " + c.getName());
  }

  /** A public static {@code parse(String)} returning the type, looked up once per class. */
  private static final ClassValue<Method[]> PARSE_METHODS =
      new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> c) {
          try {
            Method m = c.getMethod("parse", String.class);
            if (Modifier.isStatic(m.getModifiers()) && c.isAssignableFrom(m.getReturnType())) {
              return new Method[] {m};
            }
          } catch (NoSuchMethodException e) {
            // none
          }
          return new Method[0];
        }
      };

  private static Method parseMethod(Class<?> c) {
    Method[] m = PARSE_METHODS.get(c);
    return m.length == 0 ? null : m[0];
  }

  private static long integral(Object v, String path, long min, long max) {
    if (v instanceof Long) {
      long l = (Long) v;
      if (l < min || l > max) {
        throw outOfRange(path, v);
      }
      return l;
    }
    if (v instanceof Double) {
      double d = (Double) v;
      if (!isIntegral(d)) {
        throw mismatch(path, "an integer", v);
      }
      if (d < min || d > max) {
        throw outOfRange(path, v);
      }
      return (long) d;
    }
    if (v instanceof BigInteger) {
      throw outOfRange(path, v);
    }
    if (v instanceof Number) {
      return integral(((Number) v).longValue(), path, min, max);
    }
    throw mismatch(path, "a number", v);
  }

  private static boolean isIntegral(double d) {
    return !Double.isInfinite(d) && !Double.isNaN(d) && d == Math.rint(d);
  }

  private static Object primitiveDefault(Class<?> c) {
    if (c == boolean.class) {
      return false;
    }
    if (c == int.class) {
      return 0;
    }
    if (c == long.class) {
      return 0L;
    }
    if (c == double.class) {
      return 0d;
    }
    if (c == float.class) {
      return 0f;
    }
    if (c == short.class) {
      return (short) 0;
    }
    if (c == byte.class) {
      return (byte) 0;
    }
    if (c == char.class) {
      return '\0';
    }
    throw new IllegalArgumentException(c.getName());
  }

  /** {@code parent.key}, or {@code key} at the root. */
  public static String child(String path, String key) {
    return path == null || path.isEmpty() ? key : path + "." + key;
  }

  private static String label(String path) {
    return path == null || path.isEmpty() ? "" : "\"" + path + "\": ";
  }

  private static CniException mismatch(String path, String expected, Object got) {
    return new CniException(
        ErrorCodes.DECODING_FAILURE,
        label(path) + "expected " + expected + ", got " + describe(got));
  }

  private static CniException outOfRange(String path, Object got) {
    return new CniException(
        ErrorCodes.DECODING_FAILURE, label(path) + "number " + got + " is out of range");
  }

  /**
   * A short description of a tree value for error messages: its JSON type, and the value for
   * scalars.
   */
  public static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    if (v instanceof String) {
      String s = (String) v;
      return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Number) {
      return "the number " + v;
    }
    return v.getClass().getSimpleName();
  }

  // ---------------------------------------------------------------------------------------------------- records

  /**
   * Per-record-class metadata, computed once per class (class metadata only, never per-call state).
   */
  private static final class RecordMeta {
    private static final ClassValue<RecordMeta> CACHE =
        new ClassValue<>() {
          @Override
          protected RecordMeta computeValue(Class<?> type) {
            return new RecordMeta(type);
          }
        };

    final String[] names;
    final String[] keys;
    final Type[] types;
    final Method[] accessors;
    final Constructor<?> constructor;

    static RecordMeta of(Class<?> c) {
      return CACHE.get(c);
    }

    private RecordMeta(Class<?> c) {
      RecordComponent[] rc = c.getRecordComponents();
      names = new String[rc.length];
      keys = new String[rc.length];
      types = new Type[rc.length];
      accessors = new Method[rc.length];
      Class<?>[] raw = new Class<?>[rc.length];
      for (int i = 0; i < rc.length; i++) {
        names[i] = rc[i].getName();
        JsonName jn = rc[i].getAnnotation(JsonName.class);
        keys[i] = jn != null ? jn.value() : rc[i].getName();
        types[i] = rc[i].getGenericType();
        accessors[i] = rc[i].getAccessor();
        raw[i] = rc[i].getType();
        try {
          accessors[i].setAccessible(true);
        } catch (RuntimeException e) {
          // public accessor of a public record: fine without
        }
      }
      try {
        constructor = c.getDeclaredConstructor(raw);
        constructor.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("no canonical constructor in " + c.getName(), e);
      }
    }
  }
}
