/**
 * Google Gemini's generateContent and streamGenerateContent: canonical requests encoded, answers
 * and SSE events decoded, thought signatures carried.
 */
package dev.switchboard.proxy.dialect.gemini;
