/**
 * The two small pictures every seeded JPEG and PNG starts from: a 32×32 blue gradient with a white
 * dot, drawn on a Chromium canvas and exported with `toDataURL("image/jpeg", 0.85)` and
 * `toDataURL("image/png")` (the JPEG's ICC profile segment removed: 544 bytes; the PNG is
 * 1,573 bytes). Kept as bytes so the seed is the same on every machine.
 */

/** Baseline JFIF JPEG: SOI, APP0 (JFIF), DQT ×2, SOF0, DHT ×4, SOS … EOI. */
export const BASE_JPEG: Uint8Array = Buffer.from(
  [
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwXExQaFRERGCEY",
    "Gh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4e",
    "Hh4eHh4eHh4eHh4eHh7/wAARCAAgACADASIAAhEBAxEB/8QAGAAAAwEBAAAAAAAAAAAAAAAABQcIAAb/xAAmEAABAgUEAgID",
    "AAAAAAAAAAABAwQAAgURIQYHMWESURMyFiKR/8QAGAEAAwEBAAAAAAAAAAAAAAAAAwQHAAH/xAAZEQACAwEAAAAAAAAAAAAA",
    "AAADBAACEgX/2gAMAwEAAhEDEQA/AOpdL9wKdL85jOl+cw5tqdAUabTras1lmm+dPJPlkkWHkmnIfr+pwSRY3Pv+0FxwaY93",
    "ky5/PI4TFIhXS/OYFOl+cxQm9O3NE/FXlcorJNg7YplaeREeKaqY+wMowCBc3Hqx6md0v3BEXBuD3SNNc8ihMXnUul+cw8No",
    "tztPnTjWi1t+lTnjJMJSTrzeKasgxKRMcAgWBB9XHU9Ol+cwLdL9xxxEbg8Xm57REybpKN3v3V08npR7QqE/SqT1+mUZ50Jv",
    "JNJM4mJmGCSLgAe7nuXXS/OYzpfnMC3S/OYIiiNMeKRplkjZN3n/2Q==",
  ].join(""),
    "base64",
);

/** PNG, 8-bit RGBA: signature, IHDR, IDAT ×2, IEND. */
export const BASE_PNG: Uint8Array = Buffer.from(
  [
    "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAF2klEQVR4AbyX24uVZRTGl9tDeZguTB0oRYPEGzFLy9FBRERy",
    "SPPOe1O86A/oKiioCIOkNIWMJCK0KKEgw1DJ6EgU1pBpY2Ieq2mGGWY85GHe1e9Z7/d9s2eGYUNUwjvPPOt91lrPWt+392Bt",
    "3adXfN0nV3ztkX5/5HCft33c620He3zNgW5/+MNuX/1Bp69+v9NX7f/dV733m69856KvfPuCr9h73le8dc6Xv/mrL3/jjLfu",
    "Oe2tr5/2pbs7fOmrHb5k10lfsvOEP7j9uC9++UdftK3dF73Y7ve/8L0v3HrM73v+O1/w3Ldes+TmKXHAgWTBQXc4cXNCcKu4",
    "WyLHOIl7LzA4uuBC9HEPenDqSC8uJE/amn6oWSnOiHjATXeJZCNJ6PJHYjSjiNCFMhmYc6RX07iPfDNxJ9fReR1mAxIpKKSZ",
    "xFEEsVCmKkQXvB7JC3NC8sOsEA1g0mtIp54rVp1ktSGXblYlqxhCcRNyMmoNbsqLx0NRmfMSlUfXGIIcoQu5FypPGAddfgfK",
    "JERRFF5fNFHAOIl7JQqDowsupJjiMWlwhpGeuAvJd47yvOToig0g/p+euWNCJkuztZgUJ4E4E+qyQhKC1yP6f/rMwwD5sQmw",
    "pmccjiC6FNdlomHGf/eZJ4ZUPw80YwNaP02KZ5Un19uYXzTHiJLCDCYnjxtjmx6Yai+tnWkfbZxrBzfPsx3rZ9uWlmabNH4M",
    "6W6u4uQ5R3lecvKDg6WJ2IDRXJPHWouksqmS48WkSMvMibZ3wxzbtPhOa5k12aZOHBunZfYU27J0hu3fOM+WzZliTg1H74EY",
    "Un3xCjU0ce7ZgFs0Ky6NYPB6xPFDd02ybW132/TJ42y0f9OnjLedG+611nvuGGqCfNXVR9LoUyGm8gai2eDaJQ4TCiFqYrVP",
    "rmwere+I+NNr51jTbZotD1eum94jvmeksoQB4ySaaW3C4DgXXzO3yaZNGn3y4Q5mNI23RxdMi69f1dHEpYl4nNSNTdCP7wGN",
    "mZ2GmGCIAt1kYH7z7cN7NOQLZvIuMLKGAZg819K7ZgSEeudqairREMShLkOEeH7zxIYNhwsWzmrKGyBfG1BTL4aKfsSFbICP",
    "YLH+oZMTR6TkCWPHDK/fkE8YV1NPJudPPXViGPVhuDxs3nz8NZSTCHLphUjPTHFhR+dfDRsOF5y4dNk8JtZHrhgmuFuih3ES",
    "HAO6RAQxnDoXgZiRSBv4+c9rw+s35D9dkAGaqQ518wbUJ0+u5qpf04/qErEmDq4kzAD27rEu678+0LBpKei7dsv2fXnRvBgq",
    "mlEokJr1mN8BLkuxJpYJocwJL/Vet6cOnC3rN8Qn9p20811XMVBsIJoOnTxMEOIRZJGaKihUUzxZxZnkyMkee3zfKevsvzmq",
    "gT/6btim19rtUHunGQXKoRIGjJOo4wUGZ+NhIMQQBdVcnwahxF4kCT871Wvrd/5gu45esC9+6bXuyzfjfN7RYzsOnbW2rd/Y",
    "0eNd0TweI69XoqHqJuoIVUf1g2OypolDDEmIAUuIFZfYFatOsr6rt+yVw+ds857j1vrs17bsma/ssd3ttv3gGe5u5ObkayjV",
    "MXJHIMOW3zO1mJSuQomFuSmf3yI5c6emm4pV5niGlfkoyj1okadLuMwEZx0KiatfgbGBaFpcVsVJUmMVc8QuXhTPejcnHutU",
    "vK5oQqu8xL3zuzA4uuBC9IrHBlQkiiL2ImkQaVSIZU5JUL7hiKPXBoyAMNZKLJpRR6g6qq886Vz36NVP92zATJcq7iQ5gsGT",
    "H0MpDiyThehVVPkVkh+8HjUxTyBMklchmthAbpibKTlzJpSYJpU5PSYVU1xIARUzISejOrmpztDJiZOnIaIe+UYOG3BzNYE4",
    "R0EveSGqkohHUcVVLLhbKvIS3PldaEJ0wYXoFS+bQ0285kXSILpJpMtB5DH9R/9vwAANcetx8mPQxCaOc9wM/l3HrLjMVYgu",
    "eD2SFy/kQLIYQpyRExrAEnUU95TsbwAAAP//dkYJiAAAAAZJREFUAwAw2BUtt7lNJgAAAABJRU5ErkJggg==",
  ].join(""),
    "base64",
);
