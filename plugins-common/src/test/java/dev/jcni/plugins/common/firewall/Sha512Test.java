package dev.jcni.plugins.common.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha512Test {
  @Test
  void knownVectors() {
    assertThat(FwValues.sha512Hex(""))
        .isEqualTo(
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    assertThat(FwValues.sha512Hex("abc"))
        .isEqualTo(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  }

  @Test
  void matchesTheJdkOnEveryLengthAroundBlockBoundaries() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-512");
    Random r = new Random(42);
    for (int len = 0; len < 300; len++) {
      byte[] b = new byte[len];
      r.nextBytes(b);
      assertThat(HexFormat.of().formatHex(Sha512.digest(b)))
          .as("length " + len)
          .isEqualTo(HexFormat.of().formatHex(md.digest(b)));
    }
  }
}
