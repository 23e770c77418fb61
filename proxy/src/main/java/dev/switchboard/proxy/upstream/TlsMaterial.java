package dev.switchboard.proxy.upstream;

import dev.switchboard.config.BackendTls;
import dev.switchboard.pki.PemMaterial;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The SSL context one backend's connections use, built from its {@link BackendTls}: the default
 * trust with the backend's CAs added (or only them), its client certificate, and its SNI name.
 * Hostname verification is always on.
 */
final class TlsMaterial {
  private static final String ALIAS = "backend";

  private TlsMaterial() {}

  /**
   * The context and parameters; the material was checked by the compiler, so failures here are
   * bugs or JVM limits.
   *
   * @param certificateRequested set once the backend has asked for a client certificate. With TLS
   *     1.3 a server refuses a client certificate (or its absence) after the client's handshake
   *     is done, so the refusal reaches the client as a closed connection on the first request,
   *     not as a handshake error; this says what it meant.
   */
  record Built(SSLContext context, SSLParameters parameters, java.util.concurrent.atomic.AtomicBoolean certificateRequested) {}

  static Built build(String backendId, BackendTls tls) {
    try {
      X509ExtendedTrustManager trust = ExplainingTrustManager.wrap(trustManager(tls), tls);
      java.util.concurrent.atomic.AtomicBoolean requested = new java.util.concurrent.atomic.AtomicBoolean();
      KeyManager[] keys = {tls.presentsCertificate() ? keyManager(tls, requested) : new PresentingKeyManager(null, new X509Certificate[0], requested)};
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
      SSLParameters parameters = context.getDefaultSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.serverName().ifPresent(name -> parameters.setServerNames(List.of(new SNIHostName(name))));
      return new Built(context, parameters, requested);
    } catch (GeneralSecurityException | PemMaterial.Invalid e) {
      throw new IllegalStateException("backend " + backendId + ": its TLS material cannot be used (" + e.getMessage() + ")", e);
    }
  }

  private static X509ExtendedTrustManager trustManager(BackendTls tls) throws GeneralSecurityException, PemMaterial.Invalid {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (tls.caBundle().isEmpty()) {
      factory.init((KeyStore) null);
      return first(factory.getTrustManagers());
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    int n = 0;
    if (!tls.replaceDefaultTrust()) {
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      for (X509Certificate ca : first(defaults.getTrustManagers()).getAcceptedIssuers()) {
        store.setCertificateEntry("default-" + n++, ca);
      }
    }
    for (X509Certificate ca : PemMaterial.certificates(tls.caBundle())) {
      store.setCertificateEntry("backend-" + n++, ca);
    }
    factory.init(store);
    return first(factory.getTrustManagers());
  }

  private static X509ExtendedTrustManager first(TrustManager[] managers) throws GeneralSecurityException {
    for (TrustManager m : managers) {
      if (m instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("the JVM offers no X.509 trust manager");
  }

  private static X509ExtendedKeyManager keyManager(BackendTls tls, java.util.concurrent.atomic.AtomicBoolean requested)
      throws PemMaterial.Invalid {
    List<X509Certificate> chain = new ArrayList<>(PemMaterial.certificates(tls.clientCertificate()));
    PrivateKey key = PemMaterial.privateKey(tls.clientKey().reveal());
    return new PresentingKeyManager(key, chain.toArray(X509Certificate[]::new), requested);
  }

  /**
   * Presents the configured certificate whenever the backend asks for one. The JDK's own key
   * manager offers a certificate only when its issuer is among the CAs the server names, and
   * sends none otherwise; the server then says "certificate required", which hides the real
   * problem. Presenting it always lets the server say what it thinks of it. Without a
   * certificate ({@code key} null) it presents nothing and only notes that one was asked for.
   */
  private static final class PresentingKeyManager extends X509ExtendedKeyManager {
    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final java.util.concurrent.atomic.AtomicBoolean requested;

    PresentingKeyManager(PrivateKey key, X509Certificate[] chain, java.util.concurrent.atomic.AtomicBoolean requested) {
      this.key = key;
      this.chain = chain;
      this.requested = requested;
    }

    private String alias(String[] keyTypes) {
      requested.set(true);
      if (key == null) {
        return null;
      }
      String algorithm = key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
      for (String type : keyTypes) {
        if (type.equalsIgnoreCase(algorithm) || (algorithm.equals("RSA") && type.startsWith("RSA"))
            || (algorithm.equals("EC") && type.startsWith("EC"))) {
          return ALIAS;
        }
      }
      // TLS 1.3 names signature schemes, not key types, in some JDK paths: offer it anyway.
      return keyTypes.length == 0 ? null : ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return alias(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return alias(keyTypes);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return key == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return key != null && ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key != null && ALIAS.equals(alias) ? key : null;
    }
  }
}
