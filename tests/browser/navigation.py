"""Waiting for the next page: reading the page being left is the browser tests' flaky failure
(a second search's results read as the first's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def next_page(browser: Any, act: Callable[[], Any], marker_id: str) -> None:
    """Do `act` (a click, a submit) and wait until the next page has replaced this one and shows
    `marker_id`. A marker on this page's window is gone once the next page has loaded
    (chromedriver's staleness check can fail with "Node … does not belong to the document"
    mid-navigation); Selenium's submit() does not wait for the page at all."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.__beforeSubmit = true")
    act()
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return window.__beforeSubmit !== true"))
    WebDriverWait(browser, 15).until(ec.presence_of_element_located((By.ID, marker_id)))


def click_and_wait(browser: Any, element_id: str, marker_id: str) -> None:
    """Click the element `element_id` and wait for the next page (see `next_page`)."""
    from selenium.webdriver.common.by import By

    next_page(browser, browser.find_element(By.ID, element_id).click, marker_id)


def submit_and_wait(browser: Any, field: Any, marker_id: str) -> None:
    """Submit the form of `field` and wait for the next page (see `next_page`)."""
    next_page(browser, field.submit, marker_id)
