import dev.jcni.spec.CniVersion;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import java.io.IOException;
import java.util.List;

/**
 * What a plugin's hot path costs in cni-spec: read a config with a prevResult on stdin, bind the plugin's keys,
 * decode the prevResult, add an IP, print the result at the config's version. Also a runnable demo:
 * {@code echo '{"cniVersion":"0.4.0","name":"n","type":"x"}' | java -cp ... SpecStartup}.
 */
public final class SpecStartup {
  record Conf(String name, String type, String bridge, Integer mtu, boolean isGateway) {}

  public static void main(String[] args) throws IOException {
    NetConf conf = NetConf.parse(System.in.readAllBytes());
    Conf c = conf.bind(Conf.class);
    Result prev = conf.prevResult();
    Result r = prev != null ? prev.withVersion(CniVersion.CURRENT) : Result.empty(CniVersion.CURRENT);
    r = r.withIps(List.of(Result.IpConfig.parse(null, "10.22.0.5/16", "10.22.0.1")));
    System.out.write(ResultCodec.toJson(r, conf.cniVersion()));
    System.out.flush();
    if (c.name() == null) {
      System.exit(1);
    }
  }
}
