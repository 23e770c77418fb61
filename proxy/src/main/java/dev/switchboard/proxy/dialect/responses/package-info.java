/**
 * The OpenAI Responses API as Azure serves it (store off): canonical requests encoded as input
 * items, answers and response.* events decoded, encrypted reasoning carried.
 */
package dev.switchboard.proxy.dialect.responses;
