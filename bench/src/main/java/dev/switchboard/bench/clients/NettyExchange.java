package dev.switchboard.bench.clients;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Netty exchange seen from the calling (virtual) thread: the event loop hands over the
 * response head and the body's buffers as they arrive; the caller waits for the head and reads
 * the body as an {@link InputStream}. Closing it before the end aborts the exchange.
 */
final class NettyExchange extends InputStream {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>(4);
  private int status = -1;
  private long contentLength = -1;
  private boolean ended;
  private boolean closed;
  private Throwable failure;
  private ByteBuf current;
  /** Called (on the caller's thread) when the exchange is closed before its end: closes its channel or stream. */
  volatile Runnable abort;

  void head(int status, long contentLength) {
    lock.lock();
    try {
      this.status = status;
      this.contentLength = contentLength;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Takes ownership of {@code content}. */
  void content(ByteBuf content) {
    lock.lock();
    try {
      if (closed || failure != null) {
        content.release();
        return;
      }
      chunks.add(content);
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  void end() {
    lock.lock();
    try {
      ended = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** @return whether this was news (the exchange had not ended) */
  boolean fail(Throwable cause) {
    lock.lock();
    try {
      if (ended || failure != null) {
        return false;
      }
      failure = cause;
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  int awaitHead(long timeout, TimeUnit unit) throws IOException {
    long nanos = unit.toNanos(timeout);
    lock.lock();
    try {
      while (status < 0 && failure == null) {
        if (nanos <= 0) {
          throw new IOException("no response head within " + timeout + " " + unit);
        }
        nanos = changed.awaitNanos(nanos);
      }
      if (status < 0) {
        throw new IOException("exchange failed", failure);
      }
      return status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    } finally {
      lock.unlock();
    }
  }

  long contentLength() {
    return contentLength;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (current == null) {
      lock.lock();
      try {
        while (chunks.isEmpty() && !ended && failure == null && !closed) {
          changed.await();
        }
        if (chunks.isEmpty()) {
          if (failure != null) {
            throw new IOException("the answer broke off", failure);
          }
          return -1;
        }
        current = chunks.poll();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException();
      } finally {
        lock.unlock();
      }
    }
    int n = Math.min(len, current.readableBytes());
    current.readBytes(b, off, n);
    if (!current.isReadable()) {
      current.release();
      current = null;
    }
    return n;
  }

  @Override
  public void close() {
    boolean complete;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      complete = ended;
      if (current != null) {
        current.release();
        current = null;
      }
      for (ByteBuf b; (b = chunks.poll()) != null; ) {
        b.release();
      }
    } finally {
      lock.unlock();
    }
    Runnable a = abort;
    if (!complete && a != null) {
      a.run();
    }
  }
}
