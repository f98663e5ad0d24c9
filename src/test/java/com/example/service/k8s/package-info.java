@NullMarked
package com.example.service.k8s;

import org.jspecify.annotations.NullMarked;
