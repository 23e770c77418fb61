package dev.switchboard.bench.clients;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Netty clients, used from virtual threads through {@link NettyExchange}: HTTP/1.1 with a
 * {@link FixedChannelPool} of keep-alive connections per origin, and HTTP/2 (TLS, ALPN h2) with
 * one multiplexed connection per origin and a stream channel per request. NIO transport with two
 * event loops (one per core), the JDK's TLS engine, pooled buffers.
 */
public final class NettyClients {
  private NettyClients() {}

  private static final int MAX_CONNECTIONS = 1024;

  static SslContext sslContext(SelfSignedCert cert, boolean h2) throws Exception {
    SslContextBuilder builder = SslContextBuilder.forClient().trustManager(cert.certificate());
    if (h2) {
      builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2));
    }
    return builder.build();
  }

  static SslHandler sslHandler(SslContext context, Channel ch, String host, int port) {
    SslHandler handler = context.newHandler(ch.alloc(), host, port);
    SSLEngine engine = handler.engine();
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    return handler;
  }

  public static UpstreamClient http1(String name, SelfSignedCert cert) throws Exception {
    return new Http1(name, cert);
  }

  public static UpstreamClient http2(String name, SelfSignedCert cert) throws Exception {
    return new Http2(name, cert);
  }

  private static final class Http1 implements UpstreamClient {
    private final String name;
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final SslContext ssl;
    private final Map<String, FixedChannelPool> pools = new ConcurrentHashMap<>();

    Http1(String name, SelfSignedCert cert) throws Exception {
      this.name = name;
      this.ssl = sslContext(cert, false);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String protocol() {
      return "HTTP/1.1";
    }

    private FixedChannelPool pool(URI uri) {
      String key = uri.getScheme() + "://" + uri.getRawAuthority();
      FixedChannelPool pool = pools.get(key);
      return pool != null ? pool : pools.computeIfAbsent(key, k -> newPool(uri));
    }

    private FixedChannelPool newPool(URI uri) {
      boolean tls = "https".equals(uri.getScheme());
      String host = uri.getHost();
      int port = uri.getPort();
      Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
          .remoteAddress(host, port);
      FixedChannelPool[] self = new FixedChannelPool[1];
      self[0] = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler() {
        @Override
        public void channelCreated(Channel ch) {
          if (tls) {
            ch.pipeline().addLast(sslHandler(ssl, ch, host, port));
          }
          ch.pipeline().addLast(new HttpClientCodec(4096, 64 * 1024, 8192));
          ch.pipeline().addLast(new ResponseHandler(self[0]));
        }
      }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL, 60_000, MAX_CONNECTIONS, Integer.MAX_VALUE, true, true);
      return self[0];
    }

    @Override
    public void call(URI uri, boolean stream, Scratch s) throws Exception {
      byte[] body = stream ? Wire.STREAM_REQUEST : Wire.CHAT_REQUEST;
      HttpHeaders headers = new DefaultHttpHeaders();
      headers.set(HttpHeaderNames.HOST, uri.getRawAuthority())
          .set(HttpHeaderNames.USER_AGENT, Wire.USER_AGENT)
          .set(HttpHeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json")
          .set(HttpHeaderNames.AUTHORIZATION, Wire.AUTHORIZATION)
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
      FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri.getRawPath(),
          Unpooled.wrappedBuffer(body), headers, EmptyHttpHeaders.INSTANCE);
      NettyExchange exchange = new NettyExchange();
      FixedChannelPool pool = pool(uri);
      pool.acquire().addListener((Future<Channel> acquired) -> {
        if (!acquired.isSuccess()) {
          request.release();
          exchange.fail(acquired.cause());
          return;
        }
        Channel ch = acquired.getNow();
        ch.pipeline().get(ResponseHandler.class).exchange = exchange;
        exchange.abort = ch::close;
        ch.writeAndFlush(request).addListener(written -> {
          if (!written.isSuccess()) {
            exchange.fail(written.cause());
            ch.close();
          }
        });
      });
      try (exchange) {
        s.status = exchange.awaitHead(60, TimeUnit.SECONDS);
        UpstreamClient.read(exchange, exchange.contentLength(), stream, s);
      }
    }

    @Override
    public void close() {
      pools.values().forEach(FixedChannelPool::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Hands one connection's responses to their exchanges and gives the connection back at each response's end. */
  private static final class ResponseHandler extends ChannelInboundHandlerAdapter {
    private final FixedChannelPool pool;
    volatile NettyExchange exchange;
    private boolean keepAlive;

    ResponseHandler(FixedChannelPool pool) {
      this.pool = pool;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      NettyExchange ex = exchange;
      try {
        if (ex == null) {
          return; // nothing is waiting: a stray answer on an idle connection
        }
        if (msg instanceof HttpResponse response) {
          keepAlive = HttpUtil.isKeepAlive(response);
          ex.head(response.status().code(), HttpUtil.getContentLength(response, -1L));
        }
        if (msg instanceof HttpContent content) {
          if (content.content().isReadable()) {
            ex.content(content.content().retain());
          }
          if (msg instanceof LastHttpContent) {
            exchange = null;
            ex.abort = null;
            // Back to the pool before the caller wakes, so that its next call finds this connection idle.
            if (!keepAlive) {
              ctx.close();
            }
            pool.release(ctx.channel());
            ex.end();
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      NettyExchange ex = exchange;
      if (ex != null) {
        exchange = null;
        ex.fail(new ClosedChannelException());
        pool.release(ctx.channel());
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      NettyExchange ex = exchange;
      if (ex != null) {
        ex.fail(cause);
      }
      ctx.close();
    }
  }

  private static final class Http2 implements UpstreamClient {
    private final String name;
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final SslContext ssl;
    private final Map<String, Channel> connections = new ConcurrentHashMap<>();

    Http2(String name, SelfSignedCert cert) throws Exception {
      this.name = name;
      this.ssl = sslContext(cert, true);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String protocol() {
      return "HTTP/2";
    }

    @Override
    public boolean plain() {
      return false;
    }

    private Channel connection(URI uri) throws Exception {
      String key = uri.getRawAuthority();
      Channel ch = connections.get(key);
      if (ch != null && ch.isActive()) {
        return ch;
      }
      synchronized (this) {
        ch = connections.get(key);
        if (ch != null && ch.isActive()) {
          return ch;
        }
        String host = uri.getHost();
        int port = uri.getPort();
        SslHandler[] tls = new SslHandler[1];
        Channel connected = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
            .handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel c) {
                tls[0] = sslHandler(ssl, c, host, port);
                c.pipeline().addLast(tls[0], Http2FrameCodecBuilder.forClient().build(),
                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
              }
            })
            .connect(host, port).syncUninterruptibly().channel();
        tls[0].handshakeFuture().syncUninterruptibly();
        if (!ApplicationProtocolNames.HTTP_2.equals(tls[0].applicationProtocol())) {
          connected.close();
          throw new IllegalStateException("the upstream did not agree to h2 by ALPN: " + tls[0].applicationProtocol());
        }
        connections.put(key, connected);
        return connected;
      }
    }

    @Override
    public void call(URI uri, boolean stream, Scratch s) throws Exception {
      byte[] body = stream ? Wire.STREAM_REQUEST : Wire.CHAT_REQUEST;
      Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("https").authority(uri.getRawAuthority())
          .path(uri.getRawPath());
      headers.set(HttpHeaderNames.USER_AGENT, Wire.USER_AGENT)
          .set(HttpHeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json")
          .set(HttpHeaderNames.AUTHORIZATION, Wire.AUTHORIZATION)
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      NettyExchange exchange = new NettyExchange();
      new Http2StreamChannelBootstrap(connection(uri)).handler(new StreamHandler(exchange)).open()
          .addListener((Future<Http2StreamChannel> opened) -> {
            if (!opened.isSuccess()) {
              exchange.fail(opened.cause());
              return;
            }
            Http2StreamChannel ch = opened.getNow();
            exchange.abort = ch::close;
            ch.write(new DefaultHttp2HeadersFrame(headers, false));
            ch.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true)).addListener(written -> {
              if (!written.isSuccess()) {
                exchange.fail(written.cause());
                ch.close();
              }
            });
          });
      try (exchange) {
        s.status = exchange.awaitHead(60, TimeUnit.SECONDS);
        UpstreamClient.read(exchange, exchange.contentLength(), stream, s);
      }
    }

    @Override
    public void close() {
      connections.values().forEach(Channel::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** One HTTP/2 stream's frames to its exchange. */
  private static final class StreamHandler extends ChannelInboundHandlerAdapter {
    private final NettyExchange exchange;
    private boolean headed;

    StreamHandler(NettyExchange exchange) {
      this.exchange = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame frame) {
          if (!headed && frame.headers().status() != null) {
            int status = Integer.parseInt(frame.headers().status().toString());
            if (status >= 200) {
              headed = true;
              CharSequence length = frame.headers().get(HttpHeaderNames.CONTENT_LENGTH);
              exchange.head(status, length == null ? -1 : Long.parseLong(length.toString()));
            }
          }
          if (frame.isEndStream()) {
            exchange.abort = null;
            exchange.end();
          }
        } else if (msg instanceof Http2DataFrame frame) {
          if (frame.content().isReadable()) {
            exchange.content(frame.content().retain());
          }
          if (frame.isEndStream()) {
            exchange.abort = null;
            exchange.end();
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      exchange.fail(new ClosedChannelException());
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      exchange.fail(cause);
      ctx.close();
    }
  }
}
