package hotich.linkage;

import org.apache.spark.sql.api.java.UDF2;

/**
 * DuckDB's {@code jaro_winkler_similarity(a, b)} as a Spark SQL function, so that the Spark engine
 * scores pairs with exactly the values the model was trained and measured with in DuckDB.
 *
 * <p>DuckDB (2.0.1) computes it with Max Bachmann's jaro_winkler code (rapidfuzz), which this
 * class follows step by step:
 *
 * <ul>
 *   <li>the strings are compared by Unicode code point, case and marks as they are;
 *   <li>an empty string gives 0 (two empty strings too); two strings of one letter give 1 when
 *       the letters are equal, else 0;
 *   <li>the match window is {@code max(len) / 2 - 1} (integer division) on either side; each
 *       letter of {@code b}, in order, takes the first letter of {@code a} in its window not
 *       taken yet and equal to it; no match at all gives 0;
 *   <li>transpositions are the matched letters out of order, halved and <b>rounded down</b>
 *       (an odd count loses its half: Apache Commons Text, whose function Splink's jar registers
 *       as {@code jaro_winkler}, does not round, so {@code 'abcdef'} and {@code 'bcadef'} give
 *       0.9444 here and 0.9167 there);
 *   <li>{@code jaro = (m / len(a) + m / len(b) + (m - t) / m) / 3}, added in this order;
 *   <li>above 0.7 (strictly) the common prefix, at most 4 letters, adds {@code prefix * 0.1 *
 *       (1 - jaro)}, which DuckDB's build computes with one fused multiply-add ({@link
 *       Math#fma}), so the last digit is the same too.
 * </ul>
 *
 * <p>NULL in either argument gives NULL, as in DuckDB.
 */
public final class JaroWinklerDuckDB implements UDF2<String, String, Double> {
  private static final long serialVersionUID = 1L;

  private static final double PREFIX_WEIGHT = 0.1;
  private static final int MAX_PREFIX = 4;
  private static final double BOOST_THRESHOLD = 0.7;

  @Override
  public Double call(String a, String b) {
    if (a == null || b == null) {
      return null;
    }
    return similarity(a, b);
  }

  /** The Jaro-Winkler similarity of {@code a} and {@code b}, as DuckDB computes it. */
  public static double similarity(String a, String b) {
    int[] p = codePoints(a);
    int[] t = codePoints(b);
    int maxPrefix = Math.min(Math.min(p.length, t.length), MAX_PREFIX);
    int prefix = 0;
    while (prefix < maxPrefix && p[prefix] == t[prefix]) {
      prefix++;
    }
    double sim = jaro(p, t);
    if (sim > BOOST_THRESHOLD) {
      sim = Math.fma(prefix * PREFIX_WEIGHT, 1.0 - sim, sim);
    }
    return sim;
  }

  private static double jaro(int[] p, int[] t) {
    int pLen = p.length;
    int tLen = t.length;
    if (pLen == 0 || tLen == 0) {
      return 0.0;
    }
    if (pLen == 1 && tLen == 1) {
      return p[0] == t[0] ? 1.0 : 0.0;
    }
    int bound = Math.max(pLen, tLen) / 2 - 1;
    boolean[] pMatched = new boolean[pLen];
    boolean[] tMatched = new boolean[tLen];
    int common = 0;
    for (int j = 0; j < tLen; j++) {
      int last = Math.min(pLen - 1, j + bound);
      for (int i = Math.max(0, j - bound); i <= last; i++) {
        if (!pMatched[i] && p[i] == t[j]) {
          pMatched[i] = true;
          tMatched[j] = true;
          common++;
          break;
        }
      }
    }
    if (common == 0) {
      return 0.0;
    }
    int transpositions = 0;
    int i = 0;
    for (int j = 0; j < tLen; j++) {
      if (tMatched[j]) {
        while (!pMatched[i]) {
          i++;
        }
        if (p[i] != t[j]) {
          transpositions++;
        }
        i++;
      }
    }
    transpositions /= 2;
    double sim = 0.0;
    sim += (double) common / pLen;
    sim += (double) common / tLen;
    sim += ((double) common - transpositions) / common;
    return sim / 3.0;
  }

  private static int[] codePoints(String s) {
    int n = s.length();
    int[] out = new int[s.codePointCount(0, n)];
    int k = 0;
    for (int i = 0; i < n; ) {
      int c = s.codePointAt(i);
      out[k++] = c;
      i += Character.charCount(c);
    }
    return out;
  }
}
