/** A test that asserts nothing cannot fail: every test of the suite must make at least one assertion. */
beforeEach(() => {
  expect.hasAssertions();
});
