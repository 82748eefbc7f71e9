package dev.jcni.spec.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * What makes our JSON text identical to Go's encoding/json output: string escaping, floats,
 * indentation.
 */
final class GoStyle {
  private GoStyle() {}

  /**
   * Go escapes {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as a backslash-u escape
   * (HTML-safe by default), uses the short escapes for backspace, form feed, newline, return and
   * tab, and lower-case hex backslash-u escapes for other control characters.
   */
  static final class Escapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    static final Escapes INSTANCE = new Escapes();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int[] ascii;

    private Escapes() {
      ascii = standardAsciiEscapesForJSON();
      for (int c = 0; c < 0x20; c++) {
        ascii[c] = ESCAPE_CUSTOM;
      }
      ascii['<'] = ESCAPE_CUSTOM;
      ascii['>'] = ESCAPE_CUSTOM;
      ascii['&'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      switch (ch) {
        case '\b':
          return new SerializedString("\\b");
        case '\f':
          return new SerializedString("\\f");
        case '\n':
          return new SerializedString("\\n");
        case '\r':
          return new SerializedString("\\r");
        case '\t':
          return new SerializedString("\\t");
        default:
          if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
            return new SerializedString(
                new String(
                    new char[] {
                      '\\',
                      'u',
                      HEX[(ch >> 12) & 15],
                      HEX[(ch >> 8) & 15],
                      HEX[(ch >> 4) & 15],
                      HEX[ch & 15]
                    }));
          }
          return null;
      }
    }
  }

  /**
   * Go's float64 text: the shortest representation, plain for 1e-6 <= |f| < 1e21, else exponent
   * form like {@code 1e+21} / {@code 1e-7}. Digits come from JDK 17's Double.toString, which is not
   * always the shortest (e.g. 4.9e-324 where Go writes 5e-324); CNI documents carry no such floats.
   */
  static String formatDouble(double d) {
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    double abs = Math.abs(d);
    if (abs >= 1e-6 && abs < 1e21) {
      return bd.toPlainString();
    }
    String digits = bd.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - bd.scale();
    StringBuilder sb = new StringBuilder();
    if (d < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    // positive exponents here are >= 21; Go trims "e-07" to "e-7"
    sb.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
    return sb.toString();
  }

  /**
   * Go's {@code json.MarshalIndent(v, "", " ")} layout; one instance per generator (it tracks
   * depth).
   */
  static final class Indenter implements PrettyPrinter {
    private int depth;

    private void newline(JsonGenerator g) throws IOException {
      g.writeRaw('\n');
      for (int i = 0; i < depth; i++) {
        g.writeRaw("    ");
      }
    }

    // objects and arrays indent alike (encoding/json's Indent); an empty one stays on one line
    private void open(JsonGenerator g, char c) throws IOException {
      g.writeRaw(c);
      depth++;
    }

    private void separate(JsonGenerator g) throws IOException {
      g.writeRaw(',');
      newline(g);
    }

    private void close(JsonGenerator g, int members, char c) throws IOException {
      depth--;
      if (members > 0) {
        newline(g);
      }
      g.writeRaw(c);
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
      open(g, '{');
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
      newline(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      separate(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
      close(g, entries, '}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
      open(g, '[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      newline(g);
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      separate(g);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
      close(g, values, ']');
    }
  }
}
